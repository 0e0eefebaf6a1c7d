"""The portal's pages of the API: personal tokens on the profile page and the interactive
reference (Swagger UI from local static files)."""

from __future__ import annotations

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_replace
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from core.exceptions import DomainError
from core.middleware import read_action

from . import rules, selectors, services


class TokenForm(forms.Form):
    name = forms.CharField(label="Для чего токен", max_length=100,
                           error_messages={"required": "Укажите, для чего токен."})
    days = forms.TypedChoiceField(label="Срок действия", coerce=int, choices=[
        (30, "30 дней"), (90, "90 дней"), (180, "180 дней"), (365, "365 дней")],
        error_messages={"invalid_choice": "Выберите срок из списка."})


@read_action  # touches only the user's own tokens
@require_POST
@login_required
def token_create_view(request):
    form = TokenForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect("core:profile")
    try:
        token, secret = services.token_create(actor=request.user,
                                              name=form.cleaned_data["name"],
                                              days=form.cleaned_data["days"])
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("core:profile")
    # the secret is shown once, on this answer only; it is never stored
    response = render(request, "api/token_created.html", {"token": token, "secret": secret})
    response["Cache-Control"] = "no-store"
    return response


@read_action  # touches only the user's own tokens
@require_POST
@login_required
def token_revoke_view(request, public_id):
    token = selectors.token_get(request.user, public_id)
    try:
        services.token_revoke(actor=request.user, token=token)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Токен «{token.name}» отозван: запросы с ним больше не "
                                  f"принимаются.")
    return redirect("core:profile")


#: Swagger UI sets style attributes and draws its icons as data: images; on this page
#: only, styles may be inline and images data: (scripts stay our own static files).
DOCS_CSP = {"style-src": [SELF, UNSAFE_INLINE], "img-src": [SELF, "data:"]}


@require_GET
@login_required
@csp_replace(DOCS_CSP)
def docs_view(request):
    rules.ensure(rules.may_keep_tokens(request.user))
    return render(request, "api/docs.html", {})
