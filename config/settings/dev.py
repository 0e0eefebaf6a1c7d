"""Local demo (``make run``): SQLite, tasks in-process, letters saved as files. Defaults
only.

DEBUG is off: a person trying the demo meets the portal's own Russian 403/404/500 pages,
never Django's English debug pages (``DJANGO_DEBUG=True`` in the environment turns them
back on for development; tracebacks reach the console either way)."""

from config.env import defaults

defaults.update(
    DJANGO_DEBUG="False",
    DJANGO_SECRET_KEY="dev-only-insecure-key-never-used-in-production",
    DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
    DATABASE_URL="sqlite:///db.sqlite3",
    USE_CELERY_BROKER="False",
    # the demo sends no mail: each letter is a file in EMAIL_FILE_PATH (var/mail/)
    EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
    STATICFILES_STORAGE="django.contrib.staticfiles.storage.StaticFilesStorage",
)

from .base import *  # noqa: E402,F403

# SQLite cannot enforce "NULLS NOT DISTINCT"; the services check duplicates themselves.
SILENCED_SYSTEM_CHECKS = ["models.W047"]

# No collected static files outside production (runserver and the test client find them
# through the finders); WhiteNoise's note about the missing STATIC_ROOT is noise here.
import warnings  # noqa: E402

warnings.filterwarnings("ignore", message="No directory at")

# With DEBUG off WhiteNoise would serve only collected files: let it find them in the apps'
# and the project's static folders as runserver does, and pick up edits without a restart.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
