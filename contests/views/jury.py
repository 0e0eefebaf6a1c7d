"""A nomination's page: its criteria, its jury, the assignment of jurors to applications,
the chair's corrections and the ranking; and the organiser's actions on them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from core.exceptions import DomainError

from .. import rules, services
from ..forms import AssignForm, CriterionForm, JurorForm, NominationForm
from ..selectors import (
    applications_for,
    assignment_get,
    chair_reviews,
    edition_get,
    juror_get,
    jurors_for,
    jury_board,
    jury_candidates,
    nomination_get,
    ranking_for,
)
from .common import posted


@require_POST
@login_required
def nomination_new(request, public_id):
    edition = edition_get(request.user, public_id)
    rules.ensure(rules.may_manage(request.user, edition))
    form = NominationForm(request.POST)
    return posted(request, form, lambda data: services.nomination_create(
        actor=request.user, edition=edition, **data),
        "Номинация добавлена с критериями по умолчанию.", edition)


def _board(user, nomination, jurors) -> dict:
    """The organiser's part of the page: the assignment board, the loads and the forms."""
    rows, loads = jury_board(nomination)
    load_of = {j.pk: n for j, n in loads}
    for juror in jurors:
        juror.load = load_of.get(juror.pk, 0)
    eligible = {j.pk for row in rows for j in row.eligible}
    return {
        "rows": rows, "loads": loads,
        "spread": (max(n for _, n in loads) - min(n for _, n in loads)) if loads else 0,
        "nomination_form": NominationForm(initial={"title": nomination.title,
                                                   "is_video": nomination.is_video}),
        "criterion_form": CriterionForm(),
        "juror_form": JurorForm(candidates=jury_candidates(nomination)),
        "assign_form": AssignForm(
            applications=applications_for(user).filter(nomination=nomination,
                                                       status="submitted"),
            jurors=jurors_for(user).filter(nomination=nomination, pk__in=eligible)),
    }


@require_GET
@login_required
def nomination_detail(request, public_id):
    user = request.user
    nomination = nomination_get(user, public_id)
    edition = nomination.edition
    can_manage = rules.may_manage(user, nomination)
    context = {"nomination": nomination, "edition": edition, "can_manage": can_manage,
               "actions": rules.edition_actions(user, edition),
               "criteria": list(nomination.criteria.all()),
               "jurors": list(jurors_for(user).filter(nomination=nomination))}
    if can_manage:
        context.update(_board(user, nomination, context["jurors"]))
    if edition.review_closed and (can_manage or edition.is_published):
        context["ranking"] = ranking_for(user, nomination)
    if rules.is_chair(user, nomination) and rules.correction_open(edition):
        context["chair_rows"] = list(chair_reviews(user, nomination))
    return render(request, "contests/nomination_detail.html", context)


@require_POST
@login_required
def nomination_edit(request, public_id):
    nomination = nomination_get(request.user, public_id)
    rules.ensure(rules.may_manage(request.user, nomination))
    return posted(request, NominationForm(request.POST), lambda data: services.nomination_update(
        actor=request.user, nomination=nomination, **data), "Номинация сохранена.", nomination)


@require_POST
@login_required
def criterion_new(request, public_id):
    nomination = nomination_get(request.user, public_id)
    rules.ensure(rules.may_manage(request.user, nomination))
    return posted(request, CriterionForm(request.POST), lambda data: services.criterion_save(
        actor=request.user, nomination=nomination, **data), "Критерий добавлен.", nomination)


def _criterion(nomination, number: int):
    criterion = nomination.criteria.filter(number=number).first()
    if criterion is None:
        raise Http404("Критерий не найден.")
    return criterion


@require_POST
@login_required
def criterion_edit(request, public_id, number):
    nomination = nomination_get(request.user, public_id)
    rules.ensure(rules.may_manage(request.user, nomination))
    criterion = _criterion(nomination, number)
    return posted(request, CriterionForm(request.POST), lambda data: services.criterion_save(
        actor=request.user, nomination=nomination, criterion=criterion, **data),
        "Критерий сохранён.", nomination)


@require_POST
@login_required
def criterion_delete(request, public_id, number):
    nomination = nomination_get(request.user, public_id)
    rules.ensure(rules.may_manage(request.user, nomination))
    criterion = _criterion(nomination, number)
    return posted(request, None, lambda _: services.criterion_delete(
        actor=request.user, criterion=criterion), "Критерий удалён.", nomination)


@require_POST
@login_required
def juror_add(request, public_id):
    nomination = nomination_get(request.user, public_id)
    rules.ensure(rules.may_manage(request.user, nomination))
    form = JurorForm(request.POST, candidates=jury_candidates(nomination))
    return posted(request, form, lambda data: services.juror_add(
        actor=request.user, nomination=nomination, **data), "Методист включён в жюри.",
        nomination)


@require_POST
@login_required
def juror_remove(request, public_id):
    juror = juror_get(request.user, public_id)
    rules.ensure(rules.may_manage(request.user, juror))
    return posted(request, None, lambda _: services.juror_remove(actor=request.user,
                                                                 juror=juror),
                  "Методист исключён из жюри.", juror.nomination)


@require_POST
@login_required
def juror_chair(request, public_id):
    juror = juror_get(request.user, public_id)
    rules.ensure(rules.may_manage(request.user, juror))
    return posted(request, None, lambda _: services.juror_chair_set(actor=request.user,
                                                                    juror=juror),
                  f"{juror.methodist.full_name} — председатель жюри номинации.",
                  juror.nomination)


@require_POST
@login_required
def assign_auto(request, public_id):
    nomination = nomination_get(request.user, public_id)
    rules.ensure(rules.may_manage(request.user, nomination))
    try:
        result = services.assignments_auto(actor=request.user, nomination=nomination)
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect(nomination)
    messages.success(request, f"Назначено экспертов: {result.created}.")
    for application, got in result.short:
        messages.warning(request, f"«{application.title}» ({application.school.short_name}): "
                                  f"назначено {got} из {nomination.edition.jurors_per_application}"
                                  " — не хватает членов жюри без конфликта интересов.")
    return redirect(nomination)


@require_POST
@login_required
def assign_manual(request, public_id):
    nomination = nomination_get(request.user, public_id)
    rules.ensure(rules.may_manage(request.user, nomination))
    form = AssignForm(request.POST, applications=applications_for(request.user).filter(
        nomination=nomination), jurors=jurors_for(request.user).filter(nomination=nomination))
    return posted(request, form, lambda data: services.assignment_create(
        actor=request.user, **data), "Член жюри назначен на заявку.", nomination)


@require_POST
@login_required
def assignment_remove(request, public_id):
    assignment = assignment_get(request.user, public_id)
    rules.ensure(rules.may_manage(request.user, assignment.application.edition))
    return posted(request, None, lambda _: services.assignment_remove(
        actor=request.user, assignment=assignment), "Назначение снято.",
        assignment.application.nomination)
