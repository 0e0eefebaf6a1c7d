"""A course run's list of students from Excel, through the registry's import machinery.

A row names a teacher and the school (a ФИС ОКО login or the school's name as in the
registry); optionally the position, the subject of study and, for a list of results, the
completion date, the attestation result and the certificate number. Teachers not yet in the
school's staff records are added. A teacher already on the run is not enrolled again; when
the row carries results, they are recorded. Unknown schools, a teacher twice in the file,
a completion before the run starts — row errors, and nothing is written.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from core.tabular import Column, TableError, cell_text
from core.text import clean_spaces, name_key
from methodists.importer import SchoolIndex, parse_date, person_name
from methodists.models import Subject, subject_key
from schools.importer import (
    MAX_STORED,
    ErrorLog,
    Importer,
    mapped_rows,
    register_importer,
)
from schools.models import ImportBatch, School

from .models import CourseRun, Enrolment, StaffMember

NAME = Column("full_name", "ФИО", ("фио", "ф.и.о.", "ф и о", "фамилия имя отчество",
                                   "фио слушателя", "фио педагога", "слушатель", "фамилия, имя, "
                                   "отчество", "фио полностью", "педагог"), required=True)
SCHOOL = Column("school", "Школа", ("школа", "оо", "образовательная организация",
                                    "наименование оо", "логин оо", "логин", "логин фис око",
                                    "место работы", "организация", "наименование школы"),
                required=True, exclude=("муниципал",))
POSITION = Column("position", "Должность", ("должность",))
SUBJECT = Column("subject", "Предмет", ("предмет", "преподаваемый предмет", "учебный предмет",
                                        "предметная область"))
COMPLETED_ON = Column("completed_on", "Дата завершения", (
    "дата завершения", "дата окончания", "дата окончания обучения", "завершил",
    "дата выдачи удостоверения", "дата завершения обучения"))
RESULT = Column("result", "Результат аттестации", (
    "результат", "итоговая аттестация", "результат аттестации", "аттестация", "зачет",
    "результат итоговой аттестации"))
CERTIFICATE = Column("certificate", "Номер удостоверения", (
    "номер удостоверения", "удостоверение", "№ удостоверения", "регистрационный номер",
    "номер документа"))
COLUMNS = [NAME, SCHOOL, POSITION, SUBJECT, COMPLETED_ON, RESULT, CERTIFICATE]
_PASSED = {"зачтено", "зачет", "зачёт", "сдал", "сдала", "аттестован", "аттестована", "да",
           "прошел", "прошла", "освоил", "освоила", "+", "1", "passed"}
_NOT_PASSED = {"не зачтено", "незачет", "не зачет", "не сдал", "не сдала", "не аттестован",
               "не аттестована", "нет", "не прошел", "не прошла", "-", "0"}


def parse_result(value: object) -> str:
    text = name_key(cell_text(value)).replace("ё", "е").strip(" .")
    if not text:
        return ""
    if text in _PASSED:
        return Enrolment.Result.PASSED
    if text in _NOT_PASSED:
        return Enrolment.Result.NOT_PASSED
    raise ValueError(f"«{cell_text(value)}» — ожидалось «зачтено» или «не зачтено»")


@dataclass
class StudentRow:
    number: int
    full_name: str
    school: School
    position: str
    subject: str
    completed_on: datetime.date | None
    result: str
    certificate: str
    staff: StaffMember | None = None
    enrolment: Enrolment | None = None


@dataclass
class StudentPlan(ErrorLog):
    rows: list[StudentRow] = field(default_factory=list)
    row_count: int = 0
    new_subjects: list[str] = field(default_factory=list)

    @property
    def counts(self) -> dict:
        return {
            "rows": self.row_count, "errors": self.error_total,
            "staff_new": sum(1 for r in self.rows if r.staff is None),
            "new": sum(1 for r in self.rows if r.enrolment is None),
            "already": sum(1 for r in self.rows if r.enrolment is not None),
            "completed": sum(1 for r in self.rows if r.completed_on),
            "schools": len({r.school.pk for r in self.rows}),
        }


def _run(batch: ImportBatch) -> CourseRun:
    run = (CourseRun.objects.select_related("course")
           .filter(public_id=(batch.params or {}).get("run"), region_id=batch.region_id)
           .first())
    if run is None:
        raise TableError("Поток курса, для которого загружен список, не найден в регионе.")
    return run


def plan_students(batch: ImportBatch, content: bytes, progress=None
                  ) -> tuple[StudentPlan, dict]:
    if batch.region_id is None:
        raise TableError("Список слушателей загружается для региона.")
    run = _run(batch)
    rows, meta = mapped_rows(batch, content, COLUMNS)
    plan = StudentPlan()
    schools = SchoolIndex(batch.region_id)
    staff = {(m.school_id, m.name_key): m for m in StaffMember.objects.filter(
        region_id=batch.region_id)}
    enrolled = {e.staff_id: e for e in Enrolment.objects.filter(run=run)}
    known_subjects = set(Subject.objects.values_list("name_key", flat=True))
    seen: dict[tuple[int, str], int] = {}
    certificates: dict[str, int] = {}
    taken = set(Enrolment.objects.filter(run__course_id=run.course_id)
                .exclude(certificate_number="").values_list("certificate_number", "staff_id"))
    taken_numbers = {number: staff_id for number, staff_id in taken}
    today = timezone.localdate()
    for number, value in rows:
        plan.row_count += 1
        before = plan.error_total
        full_name = person_name(plan, number, value("full_name"))
        school_text = cell_text(value("school"))
        school = None
        if not school_text:
            plan.error(number, SCHOOL.label, "не указана школа")
        else:
            school, why = schools.resolve(school_text)
            if school is None:
                plan.error(number, SCHOOL.label, why or (
                    f"школа «{school_text}» не найдена в реестре региона «{batch.region.name}»"
                    ". Укажите логин ФИС ОКО или название, как в реестре."))
        subject = clean_spaces(cell_text(value("subject"))).strip(" .")
        if len(subject) > 120:
            plan.error(number, SUBJECT.label, "слишком длинное название предмета")
        completed_on, result = None, ""
        try:
            completed_on = parse_date(value("completed_on"))
        except ValueError as exc:
            plan.error(number, COMPLETED_ON.label, str(exc))
        try:
            result = parse_result(value("result"))
        except ValueError as exc:
            plan.error(number, RESULT.label, str(exc))
        certificate = clean_spaces(cell_text(value("certificate")))[:64]
        if completed_on:
            if completed_on < run.starts_on:
                plan.error(number, COMPLETED_ON.label,
                           f"дата завершения {completed_on:%d.%m.%Y} раньше начала обучения "
                           f"({run.starts_on:%d.%m.%Y})")
            elif completed_on > today:
                plan.error(number, COMPLETED_ON.label,
                           f"дата завершения {completed_on:%d.%m.%Y} ещё не наступила")
            if not result:
                plan.error(number, RESULT.label, "при дате завершения укажите результат "
                                                 "аттестации")
        elif result or certificate:
            plan.error(number, COMPLETED_ON.label, "результат и удостоверение указываются "
                                                   "вместе с датой завершения")
        if certificate and result == Enrolment.Result.NOT_PASSED:
            plan.error(number, CERTIFICATE.label, "удостоверение при «не зачтено» не выдаётся")
        if plan.error_total != before:
            continue
        key = (school.pk, name_key(full_name))
        if key in seen:
            plan.error(number, NAME.label, f"{full_name} ({school.short_name}) уже указан(а) в "
                                           f"строке {seen[key]}: педагог записывается на поток "
                                           "один раз")
            continue
        seen[key] = number
        member = staff.get(key)
        if member is not None and not member.is_active:
            plan.error(number, NAME.label, f"{full_name} отмечен(а) в школе как выбывший "
                                           "педагог")
            continue
        current = enrolled.get(member.pk) if member else None
        if completed_on and current is not None and \
                current.status == Enrolment.Status.WITHDRAWN:
            plan.error(number, COMPLETED_ON.label, f"{full_name} отчислен(а) с потока: "
                                                   "завершение не отмечается")
            continue
        if certificate:
            owner = taken_numbers.get(certificate)
            if (owner is not None and (member is None or owner != member.pk)) or \
                    certificate in certificates:
                plan.error(number, CERTIFICATE.label,
                           f"удостоверение № {certificate} уже выдано другому слушателю курса")
                continue
            certificates[certificate] = number
        if subject and subject_key(subject) not in known_subjects and \
                subject not in plan.new_subjects:
            plan.new_subjects.append(subject)
        plan.rows.append(StudentRow(number, full_name, school,
                                    clean_spaces(cell_text(value("position")))[:255], subject,
                                    completed_on, result, certificate, member,
                                    enrolled.get(member.pk) if member else None))
    new = sum(1 for r in plan.rows if r.enrolment is None)
    if run.capacity is not None and not plan.error_total:
        taken_places = sum(1 for e in enrolled.values()
                           if e.status != Enrolment.Status.WITHDRAWN)
        if taken_places + new > run.capacity:
            plan.error(0, "", f"на потоке {run.capacity} мест, уже записано {taken_places}, "
                              f"в файле новых слушателей {new}")
    if progress:
        progress(1, 1)
    return plan, meta


def summary_students(plan: StudentPlan) -> dict:
    return {
        "new": [f"{r.full_name} — {r.school.short_name}" for r in plan.rows
                if r.enrolment is None][:MAX_STORED],
        "already": [f"{r.full_name} — {r.school.short_name}" for r in plan.rows
                    if r.enrolment is not None][:MAX_STORED],
        "staff_new": [f"{r.full_name} — {r.school.short_name}" for r in plan.rows
                      if r.staff is None][:MAX_STORED],
        "subjects_new": plan.new_subjects[:MAX_STORED],
    }


def apply_students(plan: StudentPlan, batch: ImportBatch) -> None:
    """Inside the caller's transaction, with bulk writes (a region's list has thousands of
    rows); the batch's apply is the audit entry."""
    from methodists.services import subjects_resolve

    run = _run(batch)
    subjects, _ = subjects_resolve(sorted({r.subject for r in plan.rows if r.subject}),
                                   create=True)
    by_key = {s.name_key: s for s in subjects}
    fresh = [StaffMember(school=r.school, region_id=batch.region_id, full_name=r.full_name,
                         name_key=name_key(r.full_name), position=r.position)
             for r in plan.rows if r.staff is None]
    StaffMember.objects.bulk_create(fresh, batch_size=1000)
    created = iter(fresh)
    links, enrol, update, positions = [], [], [], []
    for row in plan.rows:
        member = row.staff or next(created)
        if row.staff is not None and row.position and not member.position:
            member.position = row.position
            positions.append(member)
        subject = by_key.get(subject_key(row.subject)) if row.subject else None
        if subject is not None:
            links.append(StaffMember.subjects.through(staffmember_id=member.pk,
                                                      subject_id=subject.pk))
        enrolment = row.enrolment or Enrolment(run=run, staff=member, school=row.school,
                                               region_id=batch.region_id,
                                               created_by=batch.applied_by)
        if subject is not None:
            enrolment.subject = subject
        if row.completed_on:
            enrolment.completed_on = row.completed_on
            enrolment.result = row.result
            enrolment.status = (Enrolment.Status.COMPLETED
                                if row.result == Enrolment.Result.PASSED
                                else Enrolment.Status.FAILED)
            if row.certificate:
                enrolment.certificate_number = row.certificate
        (update if row.enrolment else enrol).append(enrolment)
    StaffMember.objects.bulk_update(positions, ["position"], batch_size=1000)
    StaffMember.subjects.through.objects.bulk_create(links, batch_size=2000,
                                                     ignore_conflicts=True)
    Enrolment.objects.bulk_create(enrol, batch_size=1000)
    Enrolment.objects.bulk_update(update, ["subject", "completed_on", "result", "status",
                                           "certificate_number"], batch_size=1000)


STUDENTS = Importer(
    key="enrolments", label="Список слушателей курса",
    columns=lambda batch: COLUMNS, plan=plan_students, summary=summary_students,
    apply=apply_students, result_template="training/import/_result.html",
    confirmed=("errors", "new", "already", "staff_new"), kinds=(ImportBatch.Kind.ENROLMENTS,),
    preview_message=lambda c: (f"Проверка завершена: будет записано {c['new']}, уже на потоке "
                               f"{c['already']}, с результатами обучения {c['completed']}."),
    applied_message=lambda c: (f"Список загружен: записано {c['new']}, результаты отмечены у "
                               f"{c['completed']}."),
    confirm_message=lambda c: (f"Будет записано слушателей: {c.get('new', 0)}; новых педагогов "
                               f"в кадровых списках школ: {c.get('staff_new', 0)}."),
)
register_importer(STUDENTS)
