"""The juror's work: the list of its assignments, the score sheet of one, and the chair's
correction of a submitted review."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from core.forms import form_page, form_submit
from core.paging import paginate

from .. import rules, services
from ..forms import CorrectionForm, ScoreForm
from ..selectors import (
    NOT_ASSIGNED,
    assignment_get,
    chair_assignment_get,
    own_assignments,
    visible_reviews,
)


def _initial_scores(review) -> dict:
    return {s.criterion_id: (s.value, s.comment) for s in review.scores.all()} if review else {}


@require_GET
@login_required
def my_reviews(request):
    if not rules.is_juror(request.user):
        raise PermissionDenied("Оценки конкурсных заявок ведут члены жюри — методисты "
                               "регионального методического актива.")
    assignments = own_assignments(request.user).order_by(
        "-application__edition__year", "application__nomination__number",
        "application__title")
    page, query = paginate(request, assignments)
    return render(request, "contests/my_reviews.html", {"page": page, "query": query})


@require_http_methods(["GET", "POST"])
@login_required
def review(request, public_id):
    assignment = assignment_get(request.user, public_id)
    if not rules.is_own_assignment(request.user, assignment):
        return render(request, "contests/not_assigned.html", {"message": NOT_ASSIGNED},
                      status=404)
    application = assignment.application
    criteria = list(application.nomination.criteria.all())
    existing = getattr(assignment, "review", None)
    form = ScoreForm(request.POST or None, criteria=criteria,
                     initial_scores=_initial_scores(existing),
                     initial={"comment": existing.comment if existing else ""})
    submit = request.POST.get("action") == "submit"
    response = form_submit(request, form, lambda data: services.review_save(
        actor=request.user, assignment=assignment, values=form.values(),
        comment=data.get("comment", ""), submit=submit),
        "Оценка отправлена. Изменить её теперь может только председатель жюри." if submit
        else "Черновик оценки сохранён.", to=lambda _: assignment.get_absolute_url())
    if response:
        return response
    actions = rules.review_actions(request.user, assignment)
    return form_page(request, "contests/review_form.html", {
        "form": form, "assignment": assignment, "application": application,
        "review": existing, "actions": actions, "locked": "score" not in actions,
        "materials": application.materials.filter(removed_at__isnull=True)
        .prefetch_related("versions"),
        "others": visible_reviews(request.user, application)
        if application.edition.review_closed else []})


@require_http_methods(["GET", "POST"])
@login_required
def review_correct(request, public_id):
    assignment = chair_assignment_get(request.user, public_id)
    existing = getattr(assignment, "review", None)
    if existing is None or not existing.is_submitted:
        raise Http404("Оценка ещё не отправлена.")
    criteria = list(assignment.application.nomination.criteria.all())
    form = CorrectionForm(request.POST or None, criteria=criteria,
                          initial_scores=_initial_scores(existing))
    return form_submit(request, form, lambda data: services.review_correct(
        actor=request.user, review=existing, values=form.values(), reason=data["reason"]),
        "Оценка исправлена; исправление записано в журнал.",
        to=lambda _: assignment.application.nomination.get_absolute_url()) or form_page(
        request, "contests/correct_form.html", {"form": form, "assignment": assignment,
                                                "review": existing})

