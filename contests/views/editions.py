"""Editions of the contest: the list of a region, creation and details, the stages and the
regulation's file, the ranking's export."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.files import stored_file_response
from core.forms import form_page, form_submit
from core.xlsx import xlsx_response

from .. import rules, services
from ..exports import ranking_xlsx
from ..forms import EditionForm, NewEditionForm, NominationForm, RegulationForm
from ..models import Edition
from ..selectors import (
    applications_for,
    edition_get,
    editions_for,
    own_assignments,
    progress,
    ranking,
    regulation_get,
)
from .common import posted, region_of


@require_GET
@login_required
def edition_list(request):
    rules.ensure(rules.may_view_editions(request.user))
    region, regions = region_of(request)
    editions = editions_for(request.user).filter(region=region).order_by("-year")
    return render(request, "contests/edition_list.html", {
        "region": region, "regions": regions, "editions": editions,
        "can_manage": rules.may_manage(request.user, Edition(region=region)),
        "mine": own_assignments(request.user).exclude(review__status="submitted")
        .filter(application__edition__stage="review").count(),
    })


@require_http_methods(["GET", "POST"])
@login_required
def edition_new(request):
    region, _ = region_of(request)
    rules.ensure(rules.may_manage(request.user, Edition(region=region)))
    form = NewEditionForm(request.POST or None)
    return form_submit(
        request, form, lambda data: services.edition_create(actor=request.user, region=region,
                                                            **data),
        "Конкурс создан. Проверьте номинации и критерии, затем откройте приём заявок.") or \
        form_page(request, "contests/edition_form.html", {"form": form, "region": region})


@require_http_methods(["GET", "POST"])
@login_required
def edition_edit(request, public_id):
    edition = edition_get(request.user, public_id)
    rules.ensure(rules.may_manage(request.user, edition))
    form = EditionForm(request.POST or None, instance=edition, editing=True)
    return form_submit(
        request, form, lambda data: services.edition_update(actor=request.user,
                                                            edition=edition, **data),
        "Сведения о конкурсе сохранены.") or form_page(
        request, "contests/edition_form.html", {"form": form, "region": edition.region,
                                                "edition": edition})


@require_GET
@login_required
def edition_detail(request, public_id):
    edition = edition_get(request.user, public_id)
    user = request.user
    can_manage = rules.may_manage(user, edition)
    actions = rules.edition_actions(user, edition)
    mine = applications_for(user).filter(edition=edition).filter(
        school_id__in=rules.applicant_school_ids(user))
    return render(request, "contests/edition_detail.html", {
        "edition": edition, "can_manage": can_manage, "actions": actions,
        "progress": progress(edition),
        "regulations": list(edition.regulations.all()),
        "regulation_form": RegulationForm() if can_manage else None,
        "nomination_form": NominationForm() if can_manage else None,
        "next_stage": rules.NEXT_STAGE.get(edition.stage),
        "stages": _timeline(edition),
        "mine": list(mine),
        "can_apply": "apply" in actions,
        "my_reviews": list(own_assignments(user).filter(application__edition=edition)),
    })


def _timeline(edition: Edition) -> list[dict]:
    order = [s for s, _ in Edition.Stage.choices]
    current = order.index(edition.stage)
    dates = {
        Edition.Stage.DRAFT: "",
        Edition.Stage.APPLICATIONS: f"{edition.applications_open:%d.%m.%Y} — "
                                    f"{edition.applications_close:%d.%m.%Y}",
        Edition.Stage.REVIEW: f"до {edition.review_close:%d.%m.%Y}",
        Edition.Stage.RESULTS: f"{edition.results_on:%d.%m.%Y}",
        Edition.Stage.PUBLISHED: f"{edition.publication_on:%d.%m.%Y}",
    }
    return [{"label": label, "dates": dates[value], "done": i < current, "current": i == current}
            for i, (value, label) in enumerate(Edition.Stage.choices)]


@require_POST
@login_required
def edition_advance(request, public_id):
    edition = edition_get(request.user, public_id)
    rules.ensure(rules.may_manage(request.user, edition))
    expected = request.POST.get("stage", "")
    return posted(request, None, lambda _: services.edition_advance(
        actor=request.user, edition=edition, expected=expected),
        "Конкурс переведён на следующий этап.", edition)


@require_POST
@login_required
def regulation_upload(request, public_id):
    edition = edition_get(request.user, public_id)
    rules.ensure(rules.may_manage(request.user, edition))
    form = RegulationForm(request.POST, request.FILES)
    return posted(request, form, lambda data: services.regulation_upload(
        actor=request.user, edition=edition, upload=data["file"]),
        "Положение о конкурсе загружено.", edition)


@require_GET
@login_required
def regulation_download(request, public_id):
    regulation = regulation_get(request.user, public_id)
    return stored_file_response(regulation.file, regulation.original_name, regulation.extension)


@require_GET
@login_required
def results_export(request, public_id):
    edition = edition_get(request.user, public_id)
    rules.ensure(rules.may_manage(request.user, edition))
    if not edition.review_closed:
        raise Http404("Рейтинг формируется после завершения экспертизы.")
    rankings = [(n, ranking(n)) for n in edition.nominations.all()]
    return xlsx_response(ranking_xlsx(edition, rankings),
                         f"contest-{edition.region.code}-{edition.year}-results.xlsx")
