"""The configuration of documents: the kinds of each year and the return reasons."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from core.exceptions import DomainError
from core.years import MAX_YEAR, MIN_YEAR, is_programme_year, year_from

from .. import rules, services
from ..selectors import kind_years, kinds_of_year, reasons_active


@require_GET
@login_required
def kinds(request):
    rules.ensure(rules.may_view_document(request.user))
    years = kind_years()
    year = year_from(request, years) or 0
    return render(request, "roadmaps/kinds.html", {
        "years": years, "year": year, "kinds": kinds_of_year(year) if year else [],
        "reasons": reasons_active(),
        "can_configure": rules.may_configure_kinds(request.user),
    })


@require_POST
@login_required
def kinds_load(request):
    rules.ensure(rules.may_configure_kinds(request.user))
    try:
        year = int(request.POST.get("year", ""))
        if not is_programme_year(year):
            raise ValueError
    except ValueError:
        messages.error(request, f"Укажите год программы от {MIN_YEAR} до {MAX_YEAR}.")
        return redirect("roadmaps:kinds")
    try:
        created = services.kinds_load(actor=request.user, year=year)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        if created:
            messages.success(request, f"Виды документов на {year} год созданы: {created}.")
        else:
            messages.info(request, f"Виды документов на {year} год уже настроены.")
    return redirect(f"{reverse('roadmaps:kinds')}?year={year}")
