"""Writes of the methodical pool: each one transaction, one audit entry, its permission."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core import audit
from core.exceptions import DomainError
from core.models import Municipality, Region, User
from core.registry import tutor_holds
from core.text import clean_spaces
from schools.models import School

from . import rules
from .models import Methodist, Subject, subject_key


class MethodistError(DomainError):
    pass


def subjects_resolve(names: list[str], *, create: bool) -> tuple[list[Subject], list[str]]:
    """Subjects by their names, matched by the normalised name. Unknown names are created
    when ``create`` (inside the caller's transaction), else returned as the second item."""
    wanted = []
    for name in names:
        name = clean_spaces(name).strip(" .")
        if name and subject_key(name) not in {subject_key(w) for w in wanted}:
            wanted.append(name)
    known = {s.name_key: s for s in Subject.objects.filter(
        name_key__in=[subject_key(n) for n in wanted])}
    found, unknown = [], []
    for name in wanted:
        subject = known.get(subject_key(name))
        if subject is None and create:
            subject = Subject.objects.create(name=name[:1].upper() + name[1:])
            known[subject.name_key] = subject
        if subject is None:
            unknown.append(name)
        else:
            found.append(subject)
    return found, unknown


class _Keep:
    def __repr__(self) -> str:
        return "KEEP"


#: Leave the stored value as it is: the pool's form does not show the portal account, so
#: saving that form must not unlink a juror or a tutor from their records.
KEEP = _Keep()


@dataclass
class MethodistData:
    full_name: str
    municipality: Municipality
    subjects: list[Subject]
    #: A school login or registry name (linked to the school), or any organisation's name.
    workplace: str = ""
    #: Subjects typed in by hand, added to the shared list when new.
    other_subjects: list[str] = field(default_factory=list)
    position: str = ""
    assessed_on: datetime.date | None = None
    assessment_score: int | None = None
    is_tutor: bool = False
    status: str = Methodist.Status.ACTIVE
    #: The portal account (``None`` unlinks it); ``KEEP`` leaves the stored link alone.
    user: User | None | _Keep = KEEP


def _workplace(region_id: int, text: str) -> School | None:
    from .importer import SchoolIndex

    school, why = SchoolIndex(region_id).resolve(text) if text.strip() else (None, "")
    if why:
        raise MethodistError(why[:1].upper() + why[1:] + ".")
    return school


def _validate(methodist: Methodist, data: MethodistData) -> None:
    if not clean_spaces(data.full_name):
        raise MethodistError("Укажите ФИО методиста.")
    if data.municipality.region_id != methodist.region_id:
        raise MethodistError("Муниципалитет относится к другому региону.")
    if data.other_subjects:
        added, _ = subjects_resolve(data.other_subjects, create=True)
        data.subjects = list(data.subjects) + [s for s in added if s not in data.subjects]
    if not data.subjects:
        raise MethodistError("Укажите хотя бы один предмет.")
    if data.assessed_on and data.assessed_on > timezone.localdate():
        raise MethodistError("Дата оценки компетенций не может быть в будущем.")
    if data.assessment_score is not None and not 0 <= data.assessment_score <= 100:
        raise MethodistError("Результат оценки — процент от 0 до 100.")


def _fill(methodist: Methodist, data: MethodistData) -> None:
    school = _workplace(methodist.region_id, data.workplace)
    methodist.full_name = data.full_name
    methodist.municipality = data.municipality
    methodist.school = school
    methodist.workplace = "" if school else clean_spaces(data.workplace)
    methodist.position = clean_spaces(data.position)
    methodist.assessed_on = data.assessed_on
    methodist.assessment_score = data.assessment_score
    methodist.is_tutor = data.is_tutor
    methodist.status = data.status
    if not isinstance(data.user, _Keep):
        methodist.user = data.user


def _save(methodist: Methodist) -> None:
    try:
        methodist.full_clean(exclude=["name_key"])
    except ValidationError as exc:
        raise MethodistError(" ".join(exc.messages))
    try:
        with transaction.atomic():
            methodist.save()
    except IntegrityError:
        raise MethodistError("Методист с такими ФИО в этом муниципалитете уже есть в РМА.")


@transaction.atomic
def methodist_create(*, actor, region: Region, data: MethodistData) -> Methodist:
    methodist = Methodist(region=region)
    if actor is not None:
        rules.ensure(rules.may_add_methodist(actor, methodist))
    _validate(methodist, data)
    _fill(methodist, data)
    _save(methodist)
    methodist.subjects.set(data.subjects)
    audit.record(actor, "methodists.methodist.created", methodist,
                 {"subjects": [s.name for s in data.subjects], "tutor": data.is_tutor})
    return methodist


@transaction.atomic
def methodist_update(*, actor, methodist: Methodist, data: MethodistData) -> Methodist:
    methodist = Methodist.objects.select_for_update().get(pk=methodist.pk)
    rules.ensure(rules.may_change_methodist(actor, methodist))
    _validate(methodist, data)
    before = {"status": methodist.status, "tutor": methodist.is_tutor,
              "municipality": methodist.municipality.name}
    if data.status != Methodist.Status.ACTIVE or not data.is_tutor:
        _check_no_open_routes(methodist, data)
    _fill(methodist, data)
    _save(methodist)
    methodist.subjects.set(data.subjects)
    audit.record(actor, "methodists.methodist.changed", methodist,
                 {"before": before, "status": methodist.status, "tutor": methodist.is_tutor,
                  "municipality": methodist.municipality.name})
    return methodist


def tutor_held(methodist: Methodist) -> tuple[str, int] | None:
    """The open work another app keeps this tutor on (training's open routes, registered
    through :func:`core.registry.tutor_hold`): what it is and how much, or ``None``."""
    if not methodist.is_tutor:
        return None
    for hold in tutor_holds():
        count = hold.count(methodist)
        if count:
            return hold.what, count
    return None


def _check_no_open_routes(methodist: Methodist, data: MethodistData) -> None:
    """A tutor who still supports open routes cannot stop being one silently."""
    held = tutor_held(methodist)
    if held:
        what, count = held
        raise MethodistError(
            f"Методист сопровождает {what} ({count}). Сначала назначьте "
            "этим педагогам другого тьютора.")
