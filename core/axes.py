"""django-axes counts failures per *account*, however the login was typed: «Admin»,
«ADMIN» and the account's e-mail are one username for the lockout."""

from django.db.models import Q


def lockout_username(request, credentials) -> str:
    from .models import User

    value = (credentials or {}).get("username")
    if value is None and request is not None:
        value = request.POST.get("username", "")
    value = (value or "").strip().lower()
    if "@" in value:
        match = (User.objects.filter(Q(username__iexact=value) | Q(email__iexact=value))
                 .values_list("username", flat=True).first())
        if match:
            return match.lower()
    return value
