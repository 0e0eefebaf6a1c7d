"""Results: places awarded, the ranking's diploma, the public page of winners and the bank
of best practices with the courses a practice is part of."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.db import ru
from core.forms import form_submit
from core.paging import paginate
from core.pdf import html_to_pdf
from training.selectors import courses_for

from .. import rules, services
from ..filters import PracticeFilter
from ..forms import CoursesForm, ResultForm
from ..selectors import practice_get, practices_for, published_edition, winners
from .common import application_of, posted, region_of


@require_POST
@login_required
def result_set(request, public_id):
    application = application_of(request, public_id)
    rules.ensure(rules.may_manage(request.user, application.edition))
    back = request.POST.get("next")
    return posted(request, ResultForm(request.POST), lambda data: services.application_result_set(
        actor=request.user, application=application, **data), "Решение сохранено.",
        back if str(back or "").startswith("/contests/") else application)


@require_GET
@login_required
def diploma(request, public_id):
    application = application_of(request, public_id)
    edition = application.edition
    if not application.place or not (edition.is_published or rules.may_manage(request.user,
                                                                               edition)):
        raise Http404("Диплом выдаётся за призовое место после подведения итогов.")
    html = render_to_string("contests/pdf/diploma.html", {"application": application,
                                                          "edition": edition})
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = (f'attachment; filename="diploma-{edition.year}-'
                                       f'{str(application.public_id)[:8]}.pdf"')
    return response


@require_GET
def public_winners(request, region_code: int, year: int):
    """Open to everyone: the winners of a published edition."""
    edition = published_edition(region_code, year)
    return render(request, "contests/public_winners.html", {
        "edition": edition, "winners": winners(edition)})


def _bank_choices(practices) -> dict:
    """The options of the bank's filters: what the region's practices have."""
    return {
        "nominations": sorted(set(practices.values_list("nomination__title", flat=True))),
        "factors": sorted(set(practices.exclude(risk_factors=None).values_list(
            "risk_factors__code", "risk_factors__title"))),
        "subjects": sorted(set(practices.exclude(subjects=None).values_list(
            "subjects__name", flat=True))),
    }


@require_GET
@login_required
def bank(request):
    rules.ensure(rules.may_view_editions(request.user))
    region, regions = region_of(request)
    all_practices = practices_for(request.user).filter(region=region)
    filterset = PracticeFilter(request.GET, queryset=all_practices)
    page, query = paginate(request, filterset.qs.distinct().order_by(
        "-edition__year", "nomination__number", "place"))
    chosen = {name: (filterset.data.get(name) or "").strip()
              for name in ("q", "nomination", "factor", "subject")}
    return render(request, "contests/bank.html", {
        "region": region, "regions": regions, "page": page, "query": query,
        "filter": filterset, **chosen, **_bank_choices(all_practices)})


@require_http_methods(["GET", "POST"])
@login_required
def practice(request, public_id):
    application = practice_get(request.user, public_id)
    form = None
    if rules.may_manage(request.user, application.edition):
        form = CoursesForm(request.POST or None, courses=courses_for(request.user).filter(
            region=application.region).order_by(ru("title")),
            initial={"courses": [c.public_id for c in application.courses.all()]})
        response = form_submit(request, form, lambda data: services.practice_courses_set(
            actor=request.user, application=application, courses=data["courses"]),
            "Курсы практики сохранены.", to=lambda _: request.path)
        if response:
            return response
    elif request.method == "POST":
        raise PermissionDenied("Недостаточно прав для этого действия.")
    return render(request, "contests/practice.html", {
        "application": application, "form": form,
        "materials": application.materials.filter(removed_at__isnull=True)
        .prefetch_related("versions"),
        "courses": courses_for(request.user).filter(pk__in=application.courses.all())},
        status=400 if form is not None and form.errors else 200)
