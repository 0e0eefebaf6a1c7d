"""Production (docker-compose, gunicorn): no defaults for anything secret.

``DJANGO_SECRET_KEY``, ``DJANGO_ALLOWED_HOSTS`` and ``DATABASE_URL`` must be set; a
missing one stops start-up with ``ImproperlyConfigured``. DEBUG is always off.
"""

from config.env import defaults, env_bool, env_int

defaults.update(DJANGO_DEBUG="False", USE_CELERY_BROKER="True")

from django.core.exceptions import ImproperlyConfigured  # noqa: E402

from .base import *  # noqa: E402,F403

if DEBUG:  # noqa: F405
    raise ImproperlyConfigured("DJANGO_DEBUG must be False in production settings.")
if not ALLOWED_HOSTS:  # noqa: F405
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must name at least one host in production.")

#: Commands that would put demonstration data or accounts into a real portal refuse
#: (demo.management.commands.load_demo).
PORTAL_PRODUCTION = True

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# health checks and metrics scrapes reach a host directly, over plain HTTP
SECURE_REDIRECT_EXEMPT = [r"^health/$", r"^metrics$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_REFERRER_POLICY = "same-origin"
