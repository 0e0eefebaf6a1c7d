"""Writes of training: each one transaction, one audit entry, its permission checked."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core import audit
from core.exceptions import DomainError
from core.models import Region
from core.text import clean_spaces, name_key, said_of
from methodists.models import Methodist, Subject
from schools.models import School

from . import rules
from .models import (
    Course,
    CourseRun,
    Deficit,
    Enrolment,
    Route,
    RouteNote,
    RouteStep,
    StaffMember,
)
from .rules import may_work_on_route  # noqa: F401  (the predicate moved to rules)


class TrainingError(DomainError):
    pass


def _clean(obj, exclude=()) -> None:
    try:
        obj.full_clean(exclude=list(exclude))
    except ValidationError as exc:
        raise TrainingError(" ".join(exc.messages))


# -- courses and runs ---------------------------------------------------------------------------
@transaction.atomic
def course_create(*, actor, region: Region, title: str, audience: str, hours: int, form: str,
                  provider: str, description: str = "") -> Course:
    course = Course(region=region, title=clean_spaces(title), audience=clean_spaces(audience),
                    hours=hours, form=form, provider=clean_spaces(provider),
                    description=(description or "").strip(),
                    created_by=actor if getattr(actor, "is_authenticated", False) else None)
    if actor is not None:
        rules.ensure(rules.may_manage_course(actor, course))
    _clean(course)
    course.save()
    audit.record(actor, "training.course.created", course, {"hours": hours, "form": form})
    return course


@transaction.atomic
def course_update(*, actor, course: Course, **fields) -> Course:
    course = Course.objects.select_for_update().get(pk=course.pk)
    rules.ensure(rules.may_manage_course(actor, course))
    for name in ("title", "audience", "provider"):
        if name in fields:
            setattr(course, name, clean_spaces(fields[name]))
    for name in ("hours", "form", "description"):
        if name in fields:
            setattr(course, name, fields[name])
    _clean(course)
    course.save()
    audit.record(actor, "training.course.changed", course, {k: str(v) for k, v in fields.items()
                                                            if k != "description"})
    return course


@transaction.atomic
def run_create(*, actor, course: Course, starts_on: datetime.date, ends_on: datetime.date,
               label: str = "", capacity: int | None = None) -> CourseRun:
    run = CourseRun(course=course, region_id=course.region_id, starts_on=starts_on,
                    ends_on=ends_on, label=clean_spaces(label), capacity=capacity,
                    created_by=actor if getattr(actor, "is_authenticated", False) else None)
    if actor is not None:
        rules.ensure(rules.may_manage_course(actor, run))
    _clean(run)
    run.save()
    audit.record(actor, "training.run.created", run,
                 {"course": course.title, "starts_on": starts_on.isoformat(),
                  "ends_on": ends_on.isoformat()})
    return run


@transaction.atomic
def run_update(*, actor, run: CourseRun, starts_on: datetime.date, ends_on: datetime.date,
               label: str = "", capacity: int | None = None) -> CourseRun:
    run = CourseRun.objects.select_for_update().get(pk=run.pk)
    rules.ensure(rules.may_manage_course(actor, run))
    early = run.enrolments.filter(completed_on__lt=starts_on).count()
    if early:
        raise TrainingError(f"Нельзя перенести начало на {starts_on:%d.%m.%Y}: у слушателей "
                            f"({early}) дата завершения раньше этой даты.")
    taken = run.enrolments.exclude(status=Enrolment.Status.WITHDRAWN).count()
    if capacity is not None and capacity < taken:
        raise TrainingError(f"На поток уже записано {taken} — мест не может быть меньше.")
    run.starts_on, run.ends_on, run.label, run.capacity = (starts_on, ends_on,
                                                            clean_spaces(label), capacity)
    _clean(run)
    run.save()
    audit.record(actor, "training.run.changed", run,
                 {"starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat(),
                  "capacity": capacity})
    return run


# -- staff records ------------------------------------------------------------------------------
def _staff_check_unique(school: School, full_name: str, exclude_pk=None) -> None:
    same = StaffMember.objects.filter(school=school, name_key=name_key(full_name))
    if exclude_pk:
        same = same.exclude(pk=exclude_pk)
    if same.exists():
        raise TrainingError(f"В школе уже есть педагог «{clean_spaces(full_name)}».")


@transaction.atomic
def staff_create(*, actor, school: School, full_name: str, position: str = "",
                 subjects: list[Subject] = ()) -> StaffMember:
    member = StaffMember(school=school, region_id=school.region_id,
                         full_name=clean_spaces(full_name), position=clean_spaces(position))
    if actor is not None:
        rules.ensure(rules.may_manage_staff(actor, member))
    if not member.full_name:
        raise TrainingError("Укажите ФИО педагога.")
    _staff_check_unique(school, full_name)
    _clean(member, exclude=["name_key"])
    member.save()
    member.subjects.set(subjects)
    audit.record(actor, "training.staff.created", member, {"position": member.position})
    return member


@transaction.atomic
def staff_update(*, actor, member: StaffMember, full_name: str, position: str,
                 subjects: list[Subject], is_active: bool) -> StaffMember:
    member = StaffMember.objects.select_for_update().select_related("school").get(pk=member.pk)
    rules.ensure(rules.may_manage_staff(actor, member))
    if not clean_spaces(full_name):
        raise TrainingError("Укажите ФИО педагога.")
    _staff_check_unique(member.school, full_name, exclude_pk=member.pk)
    before = {"full_name": member.full_name, "is_active": member.is_active}
    member.full_name, member.position, member.is_active = (clean_spaces(full_name),
                                                           clean_spaces(position), is_active)
    _clean(member, exclude=["name_key"])
    member.save()
    member.subjects.set(subjects)
    audit.record(actor, "training.staff.changed", member,
                 {"before": before, "is_active": is_active})
    return member


# -- enrolments -------------------------------------------------------------------------------
def _check_enrol(run: CourseRun, member: StaffMember) -> None:
    if member.region_id != run.region_id:
        raise TrainingError("Педагог работает в школе другого региона: записать его на курс "
                            "этого региона нельзя.")
    if not member.is_active:
        raise TrainingError(f"{member.full_name} не работает в школе (запись отмечена как "
                            "выбывший педагог).")
    if Enrolment.objects.filter(run=run, staff=member).exists():
        raise TrainingError(
            f"{member.full_name} {said_of(member.full_name, 'уже записан')} на этот поток.")


def check_completion(run: CourseRun, completed_on: datetime.date | None) -> None:
    """Completion within the run: not before it starts, not in the future."""
    if completed_on is None:
        raise TrainingError("Укажите дату завершения обучения.")
    if completed_on < run.starts_on:
        raise TrainingError(f"Дата завершения {completed_on:%d.%m.%Y} раньше начала обучения "
                            f"({run.starts_on:%d.%m.%Y}).")
    if completed_on > timezone.localdate():
        raise TrainingError(f"Дата завершения {completed_on:%d.%m.%Y} ещё не наступила.")


@transaction.atomic
def enrolment_create(*, actor, run: CourseRun, member: StaffMember,
                     subject: Subject | None = None) -> Enrolment:
    run = CourseRun.objects.select_for_update().get(pk=run.pk)
    enrolment = Enrolment(run=run, staff=member, school_id=member.school_id,
                          region_id=run.region_id, subject=subject,
                          created_by=actor if getattr(actor, "is_authenticated", False)
                          else None)
    if actor is not None:
        rules.ensure(rules.may_manage_course(actor, run))
    _check_enrol(run, member)
    if run.capacity is not None and run.enrolments.exclude(
            status=Enrolment.Status.WITHDRAWN).count() >= run.capacity:
        raise TrainingError(f"На потоке нет свободных мест (мест: {run.capacity}).")
    try:
        with transaction.atomic():
            enrolment.save()
    except IntegrityError:
        raise TrainingError(
            f"{member.full_name} {said_of(member.full_name, 'уже записан')} на этот поток.")
    audit.record(actor, "training.enrolment.created", enrolment,
                 {"run": str(run.public_id), "subject": subject.name if subject else ""})
    return enrolment


@transaction.atomic
def enrolments_complete(*, actor, run: CourseRun, enrolments: list[Enrolment],
                        completed_on: datetime.date, result: str) -> int:
    """Mark several students of one run as having completed it (one audit entry)."""
    run = CourseRun.objects.select_for_update().get(pk=run.pk)
    rules.ensure(rules.may_manage_course(actor, run))
    if not enrolments:
        raise TrainingError("Отметьте хотя бы одного слушателя.")
    if result not in (Enrolment.Result.PASSED, Enrolment.Result.NOT_PASSED):
        raise TrainingError("Укажите результат итоговой аттестации.")
    check_completion(run, completed_on)
    ids = [e.pk for e in enrolments]
    rows = Enrolment.objects.select_for_update().filter(pk__in=ids, run=run)
    if rows.count() != len(set(ids)):
        raise TrainingError("Среди отмеченных есть слушатели другого потока.")
    withdrawn = rows.filter(status=Enrolment.Status.WITHDRAWN).count()
    if withdrawn:
        raise TrainingError(f"Среди отмеченных есть отчисленные ({withdrawn}): им завершение "
                            "не отмечается.")
    status = (Enrolment.Status.COMPLETED if result == Enrolment.Result.PASSED
              else Enrolment.Status.FAILED)
    changed = rows.update(status=status, completed_on=completed_on, result=result)
    audit.record(actor, "training.enrolments.completed", run,
                 {"count": changed, "completed_on": completed_on.isoformat(),
                  "result": result})
    return changed


@transaction.atomic
def enrolment_update(*, actor, enrolment: Enrolment, status: str,
                     completed_on: datetime.date | None, result: str,
                     certificate_number: str, subject: Subject | None) -> Enrolment:
    enrolment = (Enrolment.objects.select_for_update().select_related("run", "school")
                 .get(pk=enrolment.pk))
    rules.ensure(rules.may_manage_course(actor, enrolment.run))
    certificate_number = clean_spaces(certificate_number)
    if status in (Enrolment.Status.COMPLETED, Enrolment.Status.FAILED):
        check_completion(enrolment.run, completed_on)
        if status == Enrolment.Status.COMPLETED and result != Enrolment.Result.PASSED:
            raise TrainingError("Завершил обучение — значит, итоговая аттестация «зачтено».")
        if status == Enrolment.Status.FAILED and result == Enrolment.Result.PASSED:
            raise TrainingError("При результате «зачтено» отметьте «завершил обучение».")
    else:
        if completed_on or result or certificate_number:
            raise TrainingError("Дата завершения, аттестация и удостоверение указываются только "
                                "для завершивших обучение.")
    if certificate_number and status != Enrolment.Status.COMPLETED:
        raise TrainingError("Удостоверение выдаётся только завершившим обучение.")
    if certificate_number and Enrolment.objects.filter(
            run__region_id=enrolment.region_id, certificate_number=certificate_number,
            run__course_id=enrolment.run.course_id).exclude(pk=enrolment.pk).exists():
        raise TrainingError(f"Удостоверение № {certificate_number} уже выдано другому слушателю "
                            "этого курса.")
    before = {"status": enrolment.status, "result": enrolment.result}
    enrolment.status, enrolment.completed_on, enrolment.result = status, completed_on, result
    enrolment.certificate_number, enrolment.subject = certificate_number, subject
    enrolment.save()
    audit.record(actor, "training.enrolment.changed", enrolment,
                 {"before": before, "status": status, "result": result,
                  "certificate": certificate_number})
    return enrolment


# -- individual educational routes --------------------------------------------------------------
def _require_route(actor, route: Route) -> None:
    if actor is not None:
        rules.ensure(rules.may_work_on_route(actor, route))


def _check_tutor(route: Route, tutor: Methodist | None) -> None:
    if tutor is None:
        return
    if tutor.region_id != route.region_id:
        raise TrainingError("Тьютор должен быть методистом РМА того же региона, что и школа "
                            "педагога.")
    if not tutor.is_active:
        raise TrainingError(f"{tutor.full_name} сейчас не в составе РМА.")
    if not tutor.is_tutor:
        raise TrainingError(
            f"{tutor.full_name} {said_of(tutor.full_name, 'не отмечен')} в РМА как тьютор.")


@transaction.atomic
def route_create(*, actor, member: StaffMember, year: int,
                 tutor: Methodist | None = None) -> Route:
    route = Route(staff=member, school_id=member.school_id, region_id=member.region_id,
                  year=year, tutor=tutor,
                  created_by=actor if getattr(actor, "is_authenticated", False) else None)
    if actor is not None:
        rules.ensure(rules.may_add_route(actor, route))
        if tutor is not None:
            rules.ensure(rules.may_set_tutor(actor, route))
    if not member.is_active:
        raise TrainingError(f"{member.full_name} не работает в школе: ИОМ не составляется.")
    _check_tutor(route, tutor)
    if Route.objects.filter(staff=member, year=year).exists():
        raise TrainingError(f"У педагога уже есть ИОМ на {year}/{year + 1} учебный год.")
    _clean(route)
    route.save()
    audit.record(actor, "training.route.created", route,
                 {"year": year, "tutor": tutor.full_name if tutor else ""})
    return route


@transaction.atomic
def route_tutor_set(*, actor, route: Route, tutor: Methodist | None) -> Route:
    route = Route.objects.select_for_update().get(pk=route.pk)
    rules.ensure(rules.may_set_tutor(actor, route))
    _check_tutor(route, tutor)
    before = route.tutor.full_name if route.tutor_id else ""
    route.tutor = tutor
    route.save(update_fields=["tutor"])
    audit.record(actor, "training.route.tutor_set", route,
                 {"before": before, "tutor": tutor.full_name if tutor else ""})
    return route


@transaction.atomic
def route_finish(*, actor, route: Route) -> Route:
    route = Route.objects.select_for_update().get(pk=route.pk)
    _require_route(actor, route)
    if route.is_done:
        raise TrainingError("Маршрут уже завершён.")
    open_steps = route.steps.filter(done_on__isnull=True).count()
    if open_steps:
        raise TrainingError(f"Не выполнено шагов маршрута: {open_steps}. Отметьте их или "
                            "удалите из плана, прежде чем завершать ИОМ.")
    route.status = Route.Status.DONE
    route.save(update_fields=["status"])
    audit.record(actor, "training.route.finished", route, {})
    return route


def _require_open(route: Route) -> None:
    if not route.is_active:
        raise TrainingError("Маршрут завершён: изменить его нельзя.")


@transaction.atomic
def deficit_add(*, actor, route: Route, area: str, description: str, source: str,
                diagnostic: str = "", diagnosed_on: datetime.date | None = None,
                diagnostic_score: int | None = None) -> Deficit:
    route = Route.objects.select_for_update().get(pk=route.pk)
    _require_route(actor, route)
    _require_open(route)
    deficit = Deficit(route=route, area=area, description=clean_spaces(description),
                      source=source, diagnostic=clean_spaces(diagnostic),
                      diagnosed_on=diagnosed_on, diagnostic_score=diagnostic_score)
    if source == Deficit.Source.DIAGNOSTIC and not (deficit.diagnostic and diagnosed_on):
        raise TrainingError("Для дефицита по результатам диагностики укажите диагностику и её "
                            "дату.")
    if diagnosed_on and diagnosed_on > timezone.localdate():
        raise TrainingError("Дата диагностики ещё не наступила.")
    _clean(deficit)
    deficit.save()
    audit.record(actor, "training.deficit.added", route,
                 {"area": area, "description": deficit.description})
    return deficit


@transaction.atomic
def deficit_close(*, actor, deficit: Deficit) -> Deficit:
    route = Route.objects.select_for_update().get(pk=deficit.route_id)
    _require_route(actor, route)
    _require_open(route)
    Deficit.objects.filter(pk=deficit.pk).update(is_closed=True)
    deficit.is_closed = True
    audit.record(actor, "training.deficit.closed", route, {"description": deficit.description})
    return deficit


@transaction.atomic
def step_add(*, actor, route: Route, kind: str, due_on: datetime.date,
             run: CourseRun | None = None, description: str = "",
             deficit: Deficit | None = None) -> RouteStep:
    route = Route.objects.select_for_update().get(pk=route.pk)
    _require_route(actor, route)
    _require_open(route)
    if deficit is not None and deficit.route_id != route.pk:
        raise TrainingError("Дефицит относится к другому маршруту.")
    if kind == RouteStep.Kind.COURSE:
        if run is None:
            raise TrainingError("Выберите поток курса.")
        if run.region_id != route.region_id:
            raise TrainingError("Курс другого региона выбрать нельзя.")
    elif run is not None:
        raise TrainingError("Поток курса указывается только для шага «курс».")
    elif not clean_spaces(description):
        raise TrainingError("Опишите, что педагог сделает на этом шаге.")
    if kind == RouteStep.Kind.TUTORING and route.tutor_id is None:
        raise TrainingError("Сначала назначьте маршруту тьютора из РМА.")
    step = RouteStep(route=route, kind=kind, due_on=due_on, run=run, deficit=deficit,
                     description=clean_spaces(description))
    _clean(step)
    step.save()
    audit.record(actor, "training.step.added", route, {"kind": kind, "step": step.title})
    return step


@transaction.atomic
def step_done(*, actor, step: RouteStep, done_on: datetime.date) -> RouteStep:
    route = Route.objects.select_for_update().get(pk=step.route_id)
    _require_route(actor, route)
    _require_open(route)
    if done_on > timezone.localdate():
        raise TrainingError("Дата выполнения ещё не наступила.")
    if step.run_id and not Enrolment.objects.filter(
            run_id=step.run_id, staff_id=route.staff_id,
            status=Enrolment.Status.COMPLETED).exists():
        raise TrainingError("Курс засчитывается, когда в потоке отмечено завершение обучения "
                            "педагогом.")
    RouteStep.objects.filter(pk=step.pk).update(done_on=done_on)
    step.done_on = done_on
    audit.record(actor, "training.step.done", route,
                 {"step": step.title, "done_on": done_on.isoformat()})
    return step


@transaction.atomic
def note_add(*, actor, route: Route, text: str) -> RouteNote:
    route = Route.objects.select_for_update().get(pk=route.pk)
    _require_route(actor, route)
    text = (text or "").strip()
    if not text:
        raise TrainingError("Заметка пустая.")
    if len(text) > 4000:
        raise TrainingError("Заметка длиннее 4000 знаков.")
    note = RouteNote.objects.create(route=route, author=actor, text=text)
    audit.record(actor, "training.note.added", route, {"length": len(text)})
    return note
