"""Test suite (``make test``): PostgreSQL and Redis on 127.0.0.1. Defaults only."""

from config.env import defaults

defaults.update(
    DJANGO_DEBUG="False",
    DJANGO_SECRET_KEY="test-only-key-not-secret",
    DJANGO_ALLOWED_HOSTS="testserver,127.0.0.1,localhost",
    DATABASE_URL="postgres://postgres:postgres@127.0.0.1:5432/portal500",
    USE_CELERY_BROKER="False",
    CELERY_BROKER_URL="redis://127.0.0.1:6379/15",
    EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    STATICFILES_STORAGE="django.contrib.staticfiles.storage.StaticFilesStorage",
    MEDIA_ROOT="/tmp/portal500-test-media",
)

from .base import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# A second alias standing for a read replica (the same test database): tests of the
# router opt in with DATABASE_READ_REPLICA = "replica" (tests/core/test_dbrouter.py).
if "replica" not in DATABASES:  # noqa: F405
    DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405

# No collected static files outside production (runserver and the test client find them
# through the finders); WhiteNoise's note about the missing STATIC_ROOT is noise here.
import warnings  # noqa: E402

warnings.filterwarnings("ignore", message="No directory at")
