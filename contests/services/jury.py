"""The jury of a nomination and the assignments of its jurors to applications, by hand or
balanced automatically (:func:`assignments_auto`), never against the conflict-of-interest
rule (``rules.conflict``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from core import audit
from methodists.models import Methodist

from .. import rules
from ..models import Application, Assignment, Edition, Juror, Nomination, Review
from ..rules import conflict, unavailable
from .common import NOTIFY_ASSIGNED, ContestError, ensure_manager, lock


@transaction.atomic
def juror_add(*, actor, nomination: Nomination, methodist: Methodist,
              is_chair: bool = False) -> Juror:
    nomination = lock(Nomination, nomination)
    ensure_manager(actor, nomination)
    if not rules.jury_open(nomination.edition):
        raise ContestError("Экспертиза завершена: состав жюри уже не меняется.")
    if methodist.region_id != nomination.region_id:
        raise ContestError("Член жюри выбирается из РМА своего региона.")
    reason = unavailable(methodist)
    if reason:
        raise ContestError(f"{methodist.full_name} не может войти в жюри: {reason}.")
    if nomination.jurors.filter(methodist=methodist).exists():
        raise ContestError(f"{methodist.full_name} уже в жюри этой номинации.")
    if is_chair:
        nomination.jurors.filter(is_chair=True).update(is_chair=False)
    juror = Juror.objects.create(region_id=nomination.region_id, nomination=nomination,
                                 methodist=methodist, is_chair=is_chair, added_by=actor)
    audit.record(actor, "contests.juror.added", nomination,
                 {"methodist": methodist.full_name, "chair": is_chair})
    return juror


@transaction.atomic
def juror_chair_set(*, actor, juror: Juror) -> Juror:
    nomination = lock(Nomination, juror.nomination)
    ensure_manager(actor, nomination)
    nomination.jurors.filter(is_chair=True).exclude(pk=juror.pk).update(is_chair=False)
    Juror.objects.filter(pk=juror.pk).update(is_chair=True)
    audit.record(actor, "contests.juror.chair_set", nomination,
                 {"methodist": juror.methodist.full_name})
    juror.is_chair = True
    return juror


@transaction.atomic
def juror_remove(*, actor, juror: Juror) -> None:
    nomination = lock(Nomination, juror.nomination)
    ensure_manager(actor, nomination)
    if juror.assignments.exists():
        raise ContestError(f"{juror.methodist.full_name} уже назначен на заявки: сначала "
                           "снимите назначения.")
    audit.record(actor, "contests.juror.removed", nomination,
                 {"methodist": juror.methodist.full_name})
    juror.delete()


def _assignable(edition: Edition) -> None:
    if not rules.assigning_open(edition):
        raise ContestError("Экспертов назначают на этапах приёма заявок и экспертизы.")


@transaction.atomic
def assignment_create(*, actor, application: Application, juror: Juror) -> Assignment:
    application = lock(Application, application)
    ensure_manager(actor, application.edition)
    _assignable(application.edition)
    if not application.is_active:
        raise ContestError("Заявка отозвана школой.")
    if juror.nomination_id != application.nomination_id:
        raise ContestError(f"{juror.methodist.full_name} не входит в жюри номинации "
                           f"«{application.nomination.title}».")
    reason = unavailable(juror.methodist) or conflict(juror.methodist, application)
    if reason:
        raise ContestError(f"{juror.methodist.full_name} не может оценивать эту заявку: "
                           f"{reason}.")
    if application.assignments.filter(juror=juror).exists():
        raise ContestError(f"{juror.methodist.full_name} уже назначен на эту заявку.")
    assignment = Assignment.objects.create(region_id=application.region_id,
                                           application=application, juror=juror,
                                           how=Assignment.How.MANUAL, assigned_by=actor)
    audit.record(actor, "contests.assignment.created", application,
                 {"juror": juror.methodist.full_name})
    _tell_jurors(actor, application.edition, application.nomination, {juror.pk: 1},
                 assignment=assignment)
    return assignment


def _tell_jurors(actor, edition: Edition, nomination: Nomination, counts: dict[int, int],
                 assignment: Assignment | None = None) -> None:
    """Each juror with an account learns how many applications they were just given."""
    from django.urls import reverse

    from core.notifications import notify
    from core.text import count_phrase

    in_review = rules.scoring_open(edition)
    when = ("Оценить их можно уже сейчас." if in_review
            else "Оценка начнётся, когда конкурс перейдёт к экспертизе.")
    jurors = Juror.objects.filter(pk__in=counts).select_related("methodist__user")
    for juror in jurors:
        user = juror.methodist.user
        if user is None:
            continue
        url = (assignment.get_absolute_url() if assignment is not None and in_review
               else reverse("contests:my_reviews"))
        notify([user], kind=NOTIFY_ASSIGNED, exclude=actor, region=edition.region, url=url,
               title=f"{edition}: вам назначены заявки на оценку",
               body=f"Номинация «{nomination.title}»: "
                    f"{count_phrase(counts[juror.pk], 'новая заявка')}. {when}")


@transaction.atomic
def assignment_remove(*, actor, assignment: Assignment) -> None:
    application = lock(Application, assignment.application)
    ensure_manager(actor, application.edition)
    if not rules.jury_open(application.edition):
        raise ContestError("Экспертиза завершена: назначения уже не меняются.")
    review = Review.objects.filter(assignment=assignment).first()
    if review is not None and review.is_submitted:
        raise ContestError("Член жюри уже отправил оценку этой заявки: снять назначение "
                           "нельзя.")
    audit.record(actor, "contests.assignment.removed", application,
                 {"juror": assignment.juror.methodist.full_name,
                  "draft_scores": review.scores.count() if review else 0})
    if review is not None:
        review.delete()
    assignment.delete()


@dataclass
class AutoResult:
    created: int = 0
    short: list[tuple[Application, int]] = field(default_factory=list)  # (application, got)
    loads: dict[int, int] = field(default_factory=dict)  # juror pk → assignments


@transaction.atomic
def assignments_auto(*, actor, nomination: Nomination) -> AutoResult:
    """Give every active application of ``nomination`` its N jurors (N of the edition),
    balancing the jurors' load and never breaking the conflict rule.

    Most constrained applications first, each taking the least loaded eligible jurors;
    then single moves from the most to the least loaded juror while that narrows the
    spread. Existing assignments stay (only this run's are moved)."""
    nomination = lock(Nomination, nomination)
    ensure_manager(actor, nomination)
    _assignable(nomination.edition)
    need = nomination.edition.jurors_per_application
    jurors = [j for j in nomination.jurors.select_related("methodist")
              if unavailable(j.methodist) is None]
    if not jurors:
        raise ContestError("В жюри номинации нет методистов, которые могут оценивать "
                           "заявки: добавьте членов жюри.")
    applications = list(nomination.applications.filter(status=Application.Status.SUBMITTED)
                        .select_related("municipality", "school"))
    if not applications:
        raise ContestError("В номинации нет поданных заявок.")
    taken: dict[int, set[int]] = {a.pk: set() for a in applications}
    load = {j.pk: 0 for j in jurors}
    for a_id, j_id in Assignment.objects.filter(juror__nomination=nomination,
                                                application__status="submitted"
                                                ).values_list("application_id", "juror_id"):
        taken.setdefault(a_id, set()).add(j_id)
        if j_id in load:
            load[j_id] += 1
    eligible = {a.pk: [j for j in jurors if conflict(j.methodist, a) is None]
                for a in applications}
    order = {j.pk: (j.methodist.full_name, j.pk) for j in jurors}
    new: list[tuple[int, int]] = []
    for application in sorted(applications, key=lambda a: (len(eligible[a.pk]), a.pk)):
        while len(taken[application.pk]) < need:
            free = [j for j in eligible[application.pk] if j.pk not in taken[application.pk]]
            if not free:
                break
            pick = min(free, key=lambda j: (load[j.pk], order[j.pk]))
            taken[application.pk].add(pick.pk)
            load[pick.pk] += 1
            new.append((application.pk, pick.pk))
    _rebalance(new, taken, load, eligible)
    by_pk = {a.pk: a for a in applications}
    Assignment.objects.bulk_create([
        Assignment(region_id=nomination.region_id, application_id=a_id, juror_id=j_id,
                   how=Assignment.How.AUTO, assigned_by=actor) for a_id, j_id in new])
    result = AutoResult(created=len(new), loads=load,
                        short=[(by_pk[a], len(t)) for a, t in taken.items()
                               if a in by_pk and len(t) < need])
    audit.record(actor, "contests.assignments.auto", nomination,
                 {"created": len(new), "short": len(result.short), "per_application": need})
    given: dict[int, int] = {}
    for _, j_id in new:
        given[j_id] = given.get(j_id, 0) + 1
    _tell_jurors(actor, nomination.edition, nomination, given)
    return result


def _rebalance(new, taken, load, eligible) -> None:
    for _ in range(10 * len(new) + 10):
        hi = max(load, key=lambda j: (load[j], j))
        moved = False
        for index, (a_id, j_id) in enumerate(new):
            if j_id != hi:
                continue
            targets = [j.pk for j in eligible[a_id]
                       if j.pk not in taken[a_id] and load[j.pk] <= load[hi] - 2]
            if targets:
                lo = min(targets, key=lambda j: (load[j], j))
                taken[a_id].discard(hi)
                taken[a_id].add(lo)
                load[hi] -= 1
                load[lo] += 1
                new[index] = (a_id, lo)
                moved = True
                break
        if not moved:
            return

