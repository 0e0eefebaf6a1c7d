"""What the contest's pages share: the region picked, the POST-only actions that run a
service and go back, the application's form arguments."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect

from core.exceptions import DomainError
from core.selectors import region_pick
from methodists.selectors import subjects_all
from risk_profiles.selectors import factors_of_year

from .. import services
from ..models import Application, Edition
from ..selectors import application_get


def region_of(request):
    """The region of a page (``?region=<code>``; another region's code is a 404)."""
    region, regions = region_pick(request.user, request.GET.get("region") or
                                  request.POST.get("region"))
    if region is None:
        raise Http404("Нет региона.")
    return region, regions


def posted(request, form, action, success: str, back):
    """POST-only actions of a page: run the service, report, go back to the page."""
    if form is not None and not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect(back)
    try:
        action(form.cleaned_data if form is not None else None)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, success)
    return redirect(back)


def application_of(request, public_id) -> Application:
    return application_get(request.user, public_id)


def application_form_args(edition: Edition) -> dict:
    return {"subjects": subjects_all(), "risk_factors": factors_of_year(edition.year)}


def application_data(data) -> services.ApplicationData:
    return services.ApplicationData(
        title=data["title"], authors=data["authors"], description=data["description"],
        video_url=data.get("video_url") or "", subjects=tuple(data.get("subjects") or ()),
        risk_factors=tuple(data.get("risk_factors") or ()))
