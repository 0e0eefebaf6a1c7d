"""Editions: creation, details, the stages moving forward (:func:`edition_advance`) and
the regulation's file."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from core import audit
from core.files import Upload, upload_stored
from core.models import Region
from core.text import clean_spaces

from .. import rules
from ..models import Application, Assignment, Edition, Regulation, Review
from .common import (
    NEXT_STAGE,
    NOTIFY_ASSIGNED,
    NOTIFY_RESULTS,
    ContestError,
    Stage,
    clean,
    ensure_manager,
    lock,
)
from .nominations import nominations_load

EDITION_FIELDS = ("title", "regulation_order", "applications_open", "applications_close",
                  "review_close", "results_on", "publication_on", "jurors_per_application")


@transaction.atomic
def edition_create(*, actor, region: Region, year: int, load_nominations: bool = False,
                   **fields) -> Edition:
    edition = Edition(region=region, year=year, created_by=actor,
                      **{k: v for k, v in fields.items() if k in EDITION_FIELDS})
    edition.title = clean_spaces(edition.title)
    ensure_manager(actor, edition)
    clean(edition)
    edition.save()
    audit.record(actor, "contests.edition.created", edition, {"year": year})
    if load_nominations:
        nominations_load(actor=actor, edition=edition)
    return edition


@transaction.atomic
def edition_update(*, actor, edition: Edition, **fields) -> Edition:
    edition = lock(Edition, edition)
    ensure_manager(actor, edition)
    if edition.is_published:
        raise ContestError("Итоги конкурса опубликованы: изменить его уже нельзя.")
    if "jurors_per_application" in fields and not rules.setup_open(edition) and \
            fields["jurors_per_application"] != edition.jurors_per_application:
        raise ContestError("Число членов жюри на заявку меняется только до начала экспертизы.")
    changed = {}
    for name in EDITION_FIELDS:
        if name in fields and getattr(edition, name) != fields[name]:
            changed[name] = str(fields[name])
            setattr(edition, name, fields[name])
    edition.title = clean_spaces(edition.title)
    clean(edition)
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
    edition = lock(Edition, edition)
    ensure_manager(actor, edition)
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
    ensure_manager(actor, edition)
    regulation = Regulation(region_id=edition.region_id, edition=edition, uploaded_by=actor,
                            original_name=upload.name, extension=upload.extension,
                            sha256=upload.sha256, size=upload.size)
    with upload_stored(upload, f"contests/{edition.region_id}/{edition.public_id}/"
                               f"{regulation.public_id}.{upload.extension}") as stored:
        edition = lock(Edition, edition)
        last = edition.regulations.aggregate(m=Max("number"))["m"] or 0
        if edition.regulations.filter(sha256=upload.sha256).exists():
            raise ContestError("Этот файл положения уже загружен.")
        regulation.number = last + 1
        regulation.file.name = stored
        regulation.save()
        audit.record(actor, "contests.regulation.uploaded", edition,
                     {"number": regulation.number, "name": upload.name})
    return regulation

