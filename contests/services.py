"""Writes of the contest: each one transaction, one audit entry, its permission checked.

Stages move forward only (:func:`edition_advance`). Applications change only while the
edition accepts them (its stage is «приём заявок» and today is within the dates); files are
immutable versions stored before the transaction (``core.files``). Scores change only as
the juror's draft; once submitted only the nomination's chair corrects them, with a reason.
"""

from __future__ import annotations

import csv
import datetime
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.utils import timezone

from core import audit
from core.exceptions import DomainError
from core.files import Upload, upload_stored
from core.models import Region
from core.permissions import has_perm, require
from core.text import clean_spaces
from methodists.models import Methodist
from schools.models import School

from .defaults import DEFAULT_CRITERIA, VIDEO_CRITERIA
from .models import (
    Application,
    Assignment,
    Criterion,
    Edition,
    Juror,
    Material,
    MaterialVersion,
    Nomination,
    Regulation,
    Review,
    Score,
)
from .rules import conflict, unavailable

MANAGE_PERM = "contests.change_edition"
APPLY_PERM = "contests.add_application"
NOMINATIONS_CSV = Path(__file__).resolve().parent / "data" / "nominations_2022.csv"
VIDEO_MARK = "видео"
Stage = Edition.Stage
NEXT_STAGE = {Stage.DRAFT: Stage.APPLICATIONS, Stage.APPLICATIONS: Stage.REVIEW,
              Stage.REVIEW: Stage.RESULTS, Stage.RESULTS: Stage.PUBLISHED}


class ContestError(DomainError):
    pass


def _clean(obj, exclude=()) -> None:
    try:
        obj.full_clean(exclude=list(exclude))
    except ValidationError as exc:
        raise ContestError(" ".join(exc.messages))


def _today(today) -> datetime.date:
    return today or timezone.localdate()


def _lock(model, obj):
    return model.objects.select_for_update().get(pk=obj.pk)


# -- editions -----------------------------------------------------------------------------------
EDITION_FIELDS = ("title", "regulation_order", "applications_open", "applications_close",
                  "review_close", "results_on", "publication_on", "jurors_per_application")


@transaction.atomic
def edition_create(*, actor, region: Region, year: int, load_nominations: bool = False,
                   **fields) -> Edition:
    edition = Edition(region=region, year=year, created_by=actor,
                      **{k: v for k, v in fields.items() if k in EDITION_FIELDS})
    edition.title = clean_spaces(edition.title)
    require(actor, MANAGE_PERM, edition)
    _clean(edition)
    edition.save()
    audit.record(actor, "contests.edition.created", edition, {"year": year})
    if load_nominations:
        nominations_load(actor=actor, edition=edition)
    return edition


@transaction.atomic
def edition_update(*, actor, edition: Edition, **fields) -> Edition:
    edition = _lock(Edition, edition)
    require(actor, MANAGE_PERM, edition)
    if edition.is_published:
        raise ContestError("Итоги конкурса опубликованы: изменить его уже нельзя.")
    if "jurors_per_application" in fields and edition.stage not in (Stage.DRAFT,
                                                                     Stage.APPLICATIONS) and \
            fields["jurors_per_application"] != edition.jurors_per_application:
        raise ContestError("Число членов жюри на заявку меняется только до начала экспертизы.")
    changed = {}
    for name in EDITION_FIELDS:
        if name in fields and getattr(edition, name) != fields[name]:
            changed[name] = str(fields[name])
            setattr(edition, name, fields[name])
    edition.title = clean_spaces(edition.title)
    _clean(edition)
    edition.save()
    audit.record(actor, "contests.edition.changed", edition, changed)
    return edition


def _advance_check(edition: Edition, target: str) -> None:
    nominations = list(edition.nominations.annotate(n=Count("criteria")))
    if target == Stage.APPLICATIONS:
        if not nominations:
            raise ContestError("Добавьте номинации конкурса: без них заявки не подать.")
        empty = [n.title for n in nominations if not n.n]
        if empty:
            raise ContestError("Задайте критерии оценки в номинациях: " + "; ".join(empty) + ".")
    elif target == Stage.RESULTS:
        open_reviews = Assignment.objects.filter(
            application__edition=edition, application__status=Application.Status.SUBMITTED
        ).exclude(review__status=Review.Status.SUBMITTED).count()
        if open_reviews:
            raise ContestError(
                f"Не все оценки отправлены: ждём ещё {open_reviews}. Дождитесь их или снимите "
                "назначение члена жюри, который не сможет оценить заявку.")
    elif target == Stage.PUBLISHED:
        if not edition.applications.filter(status=Application.Status.SUBMITTED,
                                           place__isnull=False).exists():
            raise ContestError("Не присуждено ни одного места: присудите места по итогам "
                               "экспертизы, затем публикуйте.")


@transaction.atomic
def edition_advance(*, actor, edition: Edition, expected: str) -> Edition:
    """Move the edition to its next stage. ``expected`` is the stage the user saw, so a
    double click or a stale page never skips a stage."""
    edition = _lock(Edition, edition)
    require(actor, MANAGE_PERM, edition)
    if edition.stage != expected or edition.stage not in NEXT_STAGE:
        raise ContestError(f"Этап конкурса уже «{edition.get_stage_display()}». Обновите "
                           "страницу.")
    target = NEXT_STAGE[edition.stage]
    _advance_check(edition, target)
    edition.stage = target
    if target == Stage.PUBLISHED:
        edition.published_at = timezone.now()
    edition.save(update_fields=["stage", "published_at"])
    audit.record(actor, "contests.edition.advanced", edition, {"stage": target})
    _tell(actor, edition, target)
    return edition


def _tell(actor, edition: Edition, stage: str) -> None:
    """Jurors learn that the review started; the applicant schools, that results are out."""
    from django.conf import settings
    from django.urls import reverse

    from core.notifications import notify
    from core.permissions import users_granted
    from core.text import count_phrase

    if stage == Stage.REVIEW:
        loads: dict = {}
        for assignment in Assignment.objects.filter(
                application__edition=edition, application__status="submitted"
        ).select_related("juror__methodist__user"):
            user = assignment.juror.methodist.user
            if user is not None:
                loads[user] = loads.get(user, 0) + 1
        for user, count in loads.items():
            notify([user], kind=NOTIFY_ASSIGNED, title=f"{edition}: началась экспертиза",
                   body=f"Ждут вашей оценки: {count_phrase(count, 'заявка')}.",
                   url=reverse("contests:my_reviews"), region=edition.region, exclude=actor)
    elif stage == Stage.PUBLISHED:
        schools = {a.school for a in edition.applications.filter(status="submitted")
                   .select_related("school")}
        for school in schools:
            notify(users_granted(settings.PORTAL_SCHOOL_COORDINATOR_PERM, school),
                   kind=NOTIFY_RESULTS, title=f"{edition}: итоги опубликованы",
                   body="Итоги конкурса и оценки жюри по заявкам школы опубликованы.",
                   url=reverse("contests:winners", args=[edition.region.code, edition.year]),
                   region=edition.region, exclude=actor)


@transaction.atomic
def regulation_upload(*, actor, edition: Edition, upload: Upload) -> Regulation:
    require(actor, MANAGE_PERM, edition)
    regulation = Regulation(region_id=edition.region_id, edition=edition, uploaded_by=actor,
                            original_name=upload.name, extension=upload.extension,
                            sha256=upload.sha256, size=upload.size)
    with upload_stored(upload, f"contests/{edition.region_id}/{edition.public_id}/"
                               f"{regulation.public_id}.{upload.extension}") as stored:
        edition = _lock(Edition, edition)
        last = edition.regulations.aggregate(m=Max("number"))["m"] or 0
        if edition.regulations.filter(sha256=upload.sha256).exists():
            raise ContestError("Этот файл положения уже загружен.")
        regulation.number = last + 1
        regulation.file.name = stored
        regulation.save()
        audit.record(actor, "contests.regulation.uploaded", edition,
                     {"number": regulation.number, "name": upload.name})
    return regulation


# -- nominations and criteria -------------------------------------------------------------------
def _editable_setup(edition: Edition) -> None:
    if edition.stage not in (Stage.DRAFT, Stage.APPLICATIONS):
        raise ContestError("Номинации и критерии меняются только до начала экспертизы.")


def _criteria_free(nomination: Nomination) -> None:
    _editable_setup(nomination.edition)
    if Score.objects.filter(criterion__nomination=nomination).exists():
        raise ContestError("По критериям номинации уже выставлены баллы: менять их нельзя.")


def _default_criteria(actor, nomination: Nomination) -> None:
    rows = VIDEO_CRITERIA if nomination.is_video else DEFAULT_CRITERIA
    for number, (title, weight) in enumerate(rows, start=1):
        Criterion.objects.create(region_id=nomination.region_id, nomination=nomination,
                                 number=number, title=title, weight=weight, min_score=0,
                                 max_score=10)


@transaction.atomic
def nominations_load(*, actor, edition: Edition, path: Path = NOMINATIONS_CSV) -> int:
    """Add the nominations listed in ``path`` (a CSV with a «nomination» column), each with
    the default criteria; a nomination whose title mentions video is the video one.
    All or nothing; titles already in the edition are refused."""
    edition = _lock(Edition, edition)
    require(actor, MANAGE_PERM, edition)
    if edition.stage != Stage.DRAFT:
        raise ContestError("Номинации из перечня добавляются только на этапе подготовки.")
    with open(path, encoding="utf-8-sig", newline="") as handle:
        titles = [clean_spaces(row.get("nomination") or "") for row in csv.DictReader(handle)]
    titles = [t for t in titles if t]
    if not titles:
        raise ContestError("В перечне нет ни одной номинации (нужен столбец «nomination»).")
    existing = set(edition.nominations.values_list("title", flat=True))
    repeated = [t for t in titles if t in existing]
    if repeated or len(set(titles)) != len(titles):
        raise ContestError("Номинации уже есть в конкурсе: " + "; ".join(repeated or titles))
    start = edition.nominations.aggregate(m=Max("number"))["m"] or 0
    for offset, title in enumerate(titles, start=1):
        nomination = Nomination(region_id=edition.region_id, edition=edition,
                                number=start + offset, title=title,
                                is_video=VIDEO_MARK in title.lower())
        _clean(nomination, exclude=["edition", "region"])
        nomination.save()
        _default_criteria(actor, nomination)
    audit.record(actor, "contests.nominations.loaded", edition, {"count": len(titles)})
    return len(titles)


@transaction.atomic
def nomination_create(*, actor, edition: Edition, title: str, is_video: bool = False,
                      default_criteria: bool = True) -> Nomination:
    edition = _lock(Edition, edition)
    require(actor, MANAGE_PERM, edition)
    _editable_setup(edition)
    number = (edition.nominations.aggregate(m=Max("number"))["m"] or 0) + 1
    nomination = Nomination(region_id=edition.region_id, edition=edition, number=number,
                            title=clean_spaces(title), is_video=is_video)
    _clean(nomination)
    nomination.save()
    if default_criteria:
        _default_criteria(actor, nomination)
    audit.record(actor, "contests.nomination.created", nomination, {"title": nomination.title})
    return nomination


@transaction.atomic
def nomination_update(*, actor, nomination: Nomination, title: str,
                      is_video: bool) -> Nomination:
    nomination = _lock(Nomination, nomination)
    require(actor, MANAGE_PERM, nomination)
    _editable_setup(nomination.edition)
    if is_video != nomination.is_video and nomination.applications.exists():
        raise ContestError("В номинацию уже поданы заявки: её вид (видео или материалы) "
                           "менять нельзя.")
    nomination.title, nomination.is_video = clean_spaces(title), is_video
    _clean(nomination)
    nomination.save()
    audit.record(actor, "contests.nomination.changed", nomination, {"title": nomination.title})
    return nomination


@transaction.atomic
def criterion_save(*, actor, nomination: Nomination, title: str, weight, min_score: int,
                   max_score: int, criterion: Criterion | None = None) -> Criterion:
    nomination = _lock(Nomination, nomination)
    require(actor, MANAGE_PERM, nomination)
    _criteria_free(nomination)
    if criterion is None:
        number = (nomination.criteria.aggregate(m=Max("number"))["m"] or 0) + 1
        criterion = Criterion(region_id=nomination.region_id, nomination=nomination,
                              number=number)
    elif criterion.nomination_id != nomination.pk:
        raise ContestError("Критерий относится к другой номинации.")
    criterion.title, criterion.weight = clean_spaces(title), weight
    criterion.min_score, criterion.max_score = min_score, max_score
    _clean(criterion)
    criterion.save()
    audit.record(actor, "contests.criterion.saved", nomination,
                 {"number": criterion.number, "title": criterion.title,
                  "weight": str(weight), "range": f"{min_score}–{max_score}"})
    return criterion


@transaction.atomic
def criterion_delete(*, actor, criterion: Criterion) -> None:
    nomination = _lock(Nomination, criterion.nomination)
    require(actor, MANAGE_PERM, nomination)
    _criteria_free(nomination)
    audit.record(actor, "contests.criterion.deleted", nomination,
                 {"number": criterion.number, "title": criterion.title})
    criterion.delete()


# -- jury ---------------------------------------------------------------------------------------
@transaction.atomic
def juror_add(*, actor, nomination: Nomination, methodist: Methodist,
              is_chair: bool = False) -> Juror:
    nomination = _lock(Nomination, nomination)
    require(actor, MANAGE_PERM, nomination)
    if nomination.edition.review_closed:
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
    nomination = _lock(Nomination, juror.nomination)
    require(actor, MANAGE_PERM, nomination)
    nomination.jurors.filter(is_chair=True).exclude(pk=juror.pk).update(is_chair=False)
    Juror.objects.filter(pk=juror.pk).update(is_chair=True)
    audit.record(actor, "contests.juror.chair_set", nomination,
                 {"methodist": juror.methodist.full_name})
    juror.is_chair = True
    return juror


@transaction.atomic
def juror_remove(*, actor, juror: Juror) -> None:
    nomination = _lock(Nomination, juror.nomination)
    require(actor, MANAGE_PERM, nomination)
    if juror.assignments.exists():
        raise ContestError(f"{juror.methodist.full_name} уже назначен на заявки: сначала "
                           "снимите назначения.")
    audit.record(actor, "contests.juror.removed", nomination,
                 {"methodist": juror.methodist.full_name})
    juror.delete()


def _assignable(edition: Edition) -> None:
    if edition.stage not in (Stage.APPLICATIONS, Stage.REVIEW):
        raise ContestError("Экспертов назначают на этапах приёма заявок и экспертизы.")


@transaction.atomic
def assignment_create(*, actor, application: Application, juror: Juror) -> Assignment:
    application = _lock(Application, application)
    require(actor, MANAGE_PERM, application.edition)
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


NOTIFY_ASSIGNED = "contests.review.assigned"
NOTIFY_RESULTS = "contests.results.published"


def _tell_jurors(actor, edition: Edition, nomination: Nomination, counts: dict[int, int],
                 assignment: Assignment | None = None) -> None:
    """Each juror with an account learns how many applications they were just given."""
    from django.urls import reverse

    from core.notifications import notify
    from core.text import count_phrase

    in_review = edition.stage == Stage.REVIEW
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
    application = _lock(Application, assignment.application)
    require(actor, MANAGE_PERM, application.edition)
    if application.edition.review_closed:
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
    nomination = _lock(Nomination, nomination)
    require(actor, MANAGE_PERM, nomination)
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


# -- applications -------------------------------------------------------------------------------
def _require_applicant(actor, school: School) -> None:
    if not has_perm(actor, APPLY_PERM, school):
        raise ContestError(f"Подать или изменить заявку школы «{school.short_name}» может "
                           "только её школьный координатор.")


def _open_for_changes(edition: Edition, today) -> None:
    today = _today(today)
    if edition.stage != Stage.APPLICATIONS:
        raise ContestError(f"Приём заявок закрыт: этап конкурса — "
                           f"«{edition.get_stage_display()}». Заявки и материалы уже не "
                           "меняются.")
    if today < edition.applications_open:
        raise ContestError(f"Приём заявок начнётся {edition.applications_open:%d.%m.%Y}.")
    if today > edition.applications_close:
        raise ContestError(f"Приём заявок закончился {edition.applications_close:%d.%m.%Y}: "
                           "заявки и материалы уже не меняются.")


def _video_rule(nomination: Nomination, video_url: str) -> None:
    if nomination.is_video and not video_url:
        raise ContestError(f"В номинации «{nomination.title}» нужна ссылка на видеофильм.")


@dataclass(frozen=True)
class ApplicationData:
    title: str
    authors: str
    description: str
    video_url: str = ""
    subjects: tuple = ()
    risk_factors: tuple = ()


def _fill(application: Application, data: ApplicationData) -> None:
    application.title = clean_spaces(data.title)
    application.authors = (data.authors or "").strip()
    application.description = (data.description or "").strip()
    application.video_url = (data.video_url or "").strip()


def _set_relations(application: Application, data: ApplicationData) -> None:
    factors = list(data.risk_factors)
    if any(f.year != application.edition.year for f in factors):
        raise ContestError(f"Факторы риска берутся из перечня {application.edition.year} "
                           "года.")
    application.subjects.set(data.subjects)
    application.risk_factors.set(factors)


def _store_version(actor, material: Material, upload: Upload, stored: str) -> MaterialVersion:
    if material.versions.filter(sha256=upload.sha256).exists():
        raise ContestError(f"Этот файл уже загружен в материал «{material.title}».")
    number = (material.versions.aggregate(m=Max("number"))["m"] or 0) + 1
    version = MaterialVersion(region_id=material.region_id, material=material, number=number,
                              original_name=upload.name, extension=upload.extension,
                              sha256=upload.sha256, size=upload.size, uploaded_by=actor)
    version.file.name = stored
    version.save()
    return version


def application_create(*, actor, edition: Edition, nomination: Nomination, school: School,
                       data: ApplicationData, files: list[tuple[str, Upload]] = (),
                       today=None) -> Application:
    """A school's application with its first materials. Outside the video nomination at
    least one file is needed; in the video nomination the video link. The files are
    stored before the transaction and deleted again if it fails."""
    _require_applicant(actor, school)
    materials = [Material(region_id=edition.region_id, title=clean_spaces(title) or upload.name)
                 for title, upload in files]
    with ExitStack() as stack:
        stored = [stack.enter_context(upload_stored(
            upload, f"contests/{edition.region_id}/{material.public_id}/1.{upload.extension}"))
            for material, (_, upload) in zip(materials, files, strict=True)]
        return _application_commit(actor, edition, nomination, school, data,
                                   list(zip(materials, [u for _, u in files], stored,
                                                 strict=True)), today)


@transaction.atomic
def _application_commit(actor, edition, nomination, school, data, files, today) -> Application:
    edition = _lock(Edition, edition)
    if nomination.edition_id != edition.pk or school.region_id != edition.region_id:
        raise ContestError("Номинация или школа относится к другому конкурсу.")
    _open_for_changes(edition, today)
    _video_rule(nomination, data.video_url)
    if not nomination.is_video and not files:
        raise ContestError("Приложите хотя бы один файл с материалами практики.")
    application = Application(region_id=edition.region_id, edition=edition,
                              nomination=nomination, school=school,
                              municipality_id=school.municipality_id, submitted_by=actor)
    _fill(application, data)
    _clean(application)
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:
        raise ContestError(f"Школа «{school.short_name}» уже подала заявку в номинации "
                           f"«{nomination.title}». Измените её вместо новой.")
    _set_relations(application, data)
    for material, upload, stored in files:
        material.application = application
        material.save()
        _store_version(actor, material, upload, stored)
    audit.record(actor, "contests.application.submitted", application,
                 {"nomination": nomination.title, "files": len(files)})
    return application


@transaction.atomic
def application_update(*, actor, application: Application, data: ApplicationData,
                       today=None) -> Application:
    application = _lock(Application, application)
    _require_applicant(actor, application.school)
    if not application.is_active:
        raise ContestError("Заявка отозвана: изменить её нельзя.")
    _open_for_changes(application.edition, today)
    _video_rule(application.nomination, data.video_url)
    _fill(application, data)
    _clean(application)
    application.save()
    _set_relations(application, data)
    audit.record(actor, "contests.application.changed", application,
                 {"title": application.title})
    return application


@transaction.atomic
def application_withdraw(*, actor, application: Application, today=None) -> Application:
    application = _lock(Application, application)
    _require_applicant(actor, application.school)
    if not application.is_active:
        raise ContestError("Заявка уже отозвана.")
    _open_for_changes(application.edition, today)
    if Review.objects.filter(assignment__application=application).exists():
        raise ContestError("Эксперты уже начали оценивать заявку: отозвать её нельзя.")
    Assignment.objects.filter(application=application).delete()
    application.status = Application.Status.WITHDRAWN
    application.withdrawn_at = timezone.now()
    application.save(update_fields=["status", "withdrawn_at", "updated_at"])
    audit.record(actor, "contests.application.withdrawn", application, {})
    return application


def material_add(*, actor, application: Application, title: str, upload: Upload,
                 today=None) -> MaterialVersion:
    material = Material(region_id=application.region_id, application=application,
                        title=clean_spaces(title) or upload.name)
    with upload_stored(upload, f"contests/{application.region_id}/{material.public_id}/"
                               f"1.{upload.extension}") as stored:
        return _material_commit(actor, application, material, upload, stored, today)


@transaction.atomic
def _material_commit(actor, application, material, upload, stored, today) -> MaterialVersion:
    application = _lock(Application, application)
    _require_applicant(actor, application.school)
    if not application.is_active:
        raise ContestError("Заявка отозвана: материалы не добавляются.")
    _open_for_changes(application.edition, today)
    if material.pk is None:
        material.save()
    version = _store_version(actor, material, upload, stored)
    audit.record(actor, "contests.material.uploaded", application,
                 {"material": material.title, "version": version.number,
                  "name": upload.name})
    return version


def material_version_add(*, actor, material: Material, upload: Upload,
                         today=None) -> MaterialVersion:
    if material.removed_at:
        raise ContestError("Материал убран из заявки.")
    number = material.versions.count() + 1
    with upload_stored(upload, f"contests/{material.region_id}/{material.public_id}/"
                               f"{number}-{upload.sha256[:8]}.{upload.extension}") as stored:
        return _material_commit(actor, material.application, material, upload, stored, today)


@transaction.atomic
def material_remove(*, actor, material: Material, today=None) -> Material:
    """Take a material out of the application; its versions stay stored (nothing is lost)."""
    application = _lock(Application, material.application)
    _require_applicant(actor, application.school)
    _open_for_changes(application.edition, today)
    if not application.nomination.is_video and application.materials.filter(
            removed_at__isnull=True).exclude(pk=material.pk).count() == 0:
        raise ContestError("Это единственный материал заявки: загрузите новую версию файла "
                           "вместо удаления.")
    material.removed_at = timezone.now()
    material.save(update_fields=["removed_at"])
    audit.record(actor, "contests.material.removed", application, {"material": material.title})
    return material


# -- scoring ------------------------------------------------------------------------------------
def _own_assignment(actor, assignment: Assignment) -> None:
    if assignment.juror.methodist.user_id != getattr(actor, "pk", None):
        raise ContestError("Оценивать заявку может только назначенный на неё член жюри.")


def _scores_check(criteria: list[Criterion], values: dict, *, complete: bool) -> None:
    errors = []
    for criterion in criteria:
        value = values.get(criterion.pk, (None, ""))[0]
        if value is None:
            if complete:
                errors.append(f"поставьте балл по критерию «{criterion.title}»")
            continue
        if not criterion.min_score <= value <= criterion.max_score:
            errors.append(f"балл по критерию «{criterion.title}» — от {criterion.min_score} до "
                          f"{criterion.max_score}, а не {value}")
    if errors:
        raise ContestError("Оценка не сохранена: " + "; ".join(errors) + ".")


def _write_scores(review: Review, criteria: list[Criterion], values: dict) -> dict:
    before = {s.criterion_id: s.value for s in review.scores.all()}
    review.scores.all().delete()
    Score.objects.bulk_create([
        Score(region_id=review.region_id, review=review, criterion=c,
              value=values[c.pk][0], comment=(values[c.pk][1] or "").strip())
        for c in criteria if values.get(c.pk, (None,))[0] is not None])
    return before


@transaction.atomic
def review_save(*, actor, assignment: Assignment, values: dict, comment: str = "",
                submit: bool = False) -> Review:
    """Save the juror's scores (criterion pk → (value, comment)); ``submit`` sends them,
    after which they are immutable."""
    assignment = Assignment.objects.select_related("juror__methodist", "application__edition",
                                                   "application__nomination").get(
        pk=assignment.pk)
    _own_assignment(actor, assignment)
    application = assignment.application
    if application.edition.stage != Stage.REVIEW:
        raise ContestError("Оценки выставляются на этапе экспертизы: сейчас этап "
                           f"«{application.edition.get_stage_display()}».")
    if not application.is_active:
        raise ContestError("Заявка отозвана школой.")
    review, _ = Review.objects.select_for_update().get_or_create(
        assignment=assignment, defaults={"region_id": assignment.region_id})
    if review.is_submitted:
        raise ContestError("Оценка уже отправлена и не меняется. Исправить её может "
                           "председатель жюри номинации.")
    criteria = list(application.nomination.criteria.all())
    _scores_check(criteria, values, complete=submit)
    _write_scores(review, criteria, values)
    review.comment = (comment or "").strip()
    if submit:
        review.status, review.submitted_at = Review.Status.SUBMITTED, timezone.now()
    review.save()
    audit.record(actor, "contests.review.submitted" if submit else "contests.review.saved",
                 application, {"juror": assignment.juror.methodist.full_name})
    return review


def is_chair(user, nomination: Nomination) -> bool:
    return nomination.jurors.filter(is_chair=True, methodist__user_id=getattr(user, "pk", None),
                                    methodist__status=Methodist.Status.ACTIVE).exists()


@transaction.atomic
def review_correct(*, actor, review: Review, values: dict, reason: str) -> Review:
    """The nomination's chair corrects a submitted review; the old and new scores and the
    reason go to the audit log."""
    review = Review.objects.select_for_update().select_related(
        "assignment__application__nomination", "assignment__application__edition",
        "assignment__juror__methodist").get(pk=review.pk)
    application = review.assignment.application
    if not is_chair(actor, application.nomination):
        raise ContestError("Исправить отправленную оценку может только председатель жюри "
                           "номинации.")
    chair = application.nomination.jurors.select_related("methodist").get(
        is_chair=True, methodist__user_id=actor.pk)
    # the chair's correction is a score too: the conflict-of-interest rule applies
    reason_not = conflict(chair.methodist, application)
    if reason_not:
        raise ContestError(f"Исправить оценку этой заявки нельзя: председатель жюри "
                           f"{reason_not} — конфликт интересов. Обратитесь к организатору "
                           f"конкурса.")
    if application.edition.stage not in (Stage.REVIEW, Stage.RESULTS):
        raise ContestError("Оценки исправляются до публикации итогов.")
    if not review.is_submitted:
        raise ContestError("Оценка ещё не отправлена: её меняет сам член жюри.")
    reason = (reason or "").strip()
    if not reason:
        raise ContestError("Укажите причину исправления.")
    criteria = list(application.nomination.criteria.all())
    _scores_check(criteria, values, complete=True)
    before = _write_scores(review, criteria, values)
    review.corrected_by, review.corrected_at = actor, timezone.now()
    review.correction_reason = reason
    review.save()
    audit.record(actor, "contests.review.corrected", application, {
        "juror": review.assignment.juror.methodist.full_name, "reason": reason,
        "before": {str(k): v for k, v in before.items()},
        "after": {str(c.pk): values[c.pk][0] for c in criteria}})
    return review


# -- results and the bank -----------------------------------------------------------------------
@transaction.atomic
def application_result_set(*, actor, application: Application, place: int | None,
                           in_bank: bool) -> Application:
    application = _lock(Application, application)
    require(actor, MANAGE_PERM, application.edition)
    if application.edition.stage != Stage.RESULTS:
        raise ContestError("Места присуждаются на этапе подведения итогов.")
    if not application.is_active:
        raise ContestError("Заявка отозвана школой.")
    if place is not None and place not in dict(Application.PLACES):
        raise ContestError("Место — I, II или III.")
    if place is not None and not Review.objects.filter(
            assignment__application=application, status=Review.Status.SUBMITTED).exists():
        raise ContestError("У заявки нет ни одной отправленной оценки: место не присуждается.")
    application.place, application.in_bank = place, in_bank
    application.save(update_fields=["place", "in_bank", "updated_at"])
    audit.record(actor, "contests.application.result_set", application,
                 {"place": place, "in_bank": in_bank})
    return application


@transaction.atomic
def practice_courses_set(*, actor, application: Application, courses) -> Application:
    application = _lock(Application, application)
    require(actor, MANAGE_PERM, application.edition)
    if not application.is_practice:
        raise ContestError("В курсы включаются практики из банка (итоги опубликованы).")
    courses = list(courses)
    if any(c.region_id != application.region_id for c in courses):
        raise ContestError("Курс относится к другому региону.")
    application.courses.set(courses)
    audit.record(actor, "contests.practice.courses_set", application,
                 {"courses": [c.title for c in courses]})
    return application
