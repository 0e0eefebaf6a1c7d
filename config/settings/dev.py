"""Local demo (``make run``): SQLite, tasks in-process, console mail. Defaults only."""

from config.env import defaults

defaults.update(
    DJANGO_DEBUG="True",
    DJANGO_SECRET_KEY="dev-only-insecure-key-never-used-in-production",
    DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
    DATABASE_URL="sqlite:///db.sqlite3",
    USE_CELERY_BROKER="False",
    EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend",
    STATICFILES_STORAGE="django.contrib.staticfiles.storage.StaticFilesStorage",
)

from .base import *  # noqa: E402,F403

# SQLite cannot enforce "NULLS NOT DISTINCT"; the services check duplicates themselves.
SILENCED_SYSTEM_CHECKS = ["models.W047"]

# No collected static files outside production (runserver and the test client find them
# through the finders); WhiteNoise's note about the missing STATIC_ROOT is noise here.
import warnings  # noqa: E402

warnings.filterwarnings("ignore", message="No directory at")
