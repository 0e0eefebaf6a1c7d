"""Cross-setting sanity checks (``manage.py check``)."""

from django.conf import settings
from django.core.checks import Error, register


@register()
def portal_settings_check(app_configs, **kwargs):
    problems = []
    backends = settings.AUTHENTICATION_BACKENDS
    if not backends or backends[0] != "axes.backends.AxesStandaloneBackend":
        problems.append(Error("django-axes must be the first authentication backend.",
                              id="core.E001"))
    if settings.LANGUAGE_CODE != "ru":
        problems.append(Error("The portal's interface language must be Russian (ru).",
                              id="core.E002"))
    return problems
