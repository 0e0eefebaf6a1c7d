"""A course run's list of students from Excel, through the registry's import machinery.

A row names a teacher and the school (a ФИС ОКО login or the school's name as in the
registry); optionally the position, the subject of study and, for a list of results, the
completion date, the attestation result and the certificate number. Teachers not yet in the
school's staff records are added. A teacher already on the run is not enrolled again; when
the row carries results, they are recorded. An empty cell changes nothing. Unknown schools,
a teacher twice in the file, a completion before the run starts — row errors: nothing is
written, unless the user chooses to import the list without those rows.

The columns are declared with their parsers (:data:`COLUMNS`); :func:`core.rows.parse_rows`
runs the row loop, and the plan adds only what needs the registry, the run or the other
rows.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from core.importing import (
    MAX_STORED,
    ErrorLog,
    Importer,
    read_batch,
    register_importer,
    require_mapped,
)
from core.rows import ParsedRow, parse_rows
from core.tabular import Column, TableError, cell_text
from core.text import clean_spaces, name_key, plural, said_of
from methodists.importer import SchoolIndex, parse_date, parse_person_name, parse_position
from methodists.models import Subject, subject_key
from schools.models import ImportBatch, School

from .models import CourseRun, Enrolment, StaffMember

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


def _parse_subject(value: object) -> str:
    subject = clean_spaces(cell_text(value)).strip(" .")
    if len(subject) > 120:
        raise ValueError("слишком длинное название предмета")
    return subject


def _parse_certificate(value: object) -> str:
    number = clean_spaces(cell_text(value))
    if len(number) > 64:
        raise ValueError(f"номер удостоверения длиннее 64 символов ({len(number)})")
    return number


# A student is named by its ФИО: that is the key. A row without one that carries anything
# else is a student whose name is missing (an error); a lone value is a heading above a
# group of rows (a school written once above its teachers), passed over with the reason.
NAME = Column("full_name", "ФИО", ("фио", "ф и о", "фамилия имя отчество", "фио слушателя",
                                   "фио педагога", "слушатель", "фио полностью", "педагог"),
              required=True, parse=parse_person_name, key=True, missing="не указаны ФИО")
SCHOOL = Column("school", "Школа", ("школа", "образовательная организация", "наименование оо",
                                    "логин оо", "логин", "логин фис око", "место работы",
                                    "организация", "наименование школы"),
                required=True, exclude=("муниципал",), missing="не указана школа")
POSITION = Column("position", "Должность", ("должность",), parse=parse_position)
SUBJECT = Column("subject", "Предмет", ("предмет", "преподаваемый предмет", "учебный предмет",
                                        "предметная область"), parse=_parse_subject)
COMPLETED_ON = Column("completed_on", "Дата завершения", (
    "дата завершения", "дата окончания", "дата окончания обучения", "завершил",
    "дата выдачи удостоверения"), parse=parse_date)
RESULT = Column("result", "Результат аттестации", (
    "результат", "итоговая аттестация", "результат аттестации", "аттестация", "зачет"),
    parse=parse_result)
CERTIFICATE = Column("certificate", "Номер удостоверения", (
    "номер удостоверения", "удостоверение", "регистрационный номер", "номер документа"),
    parse=_parse_certificate)
COLUMNS = [NAME, SCHOOL, POSITION, SUBJECT, COMPLETED_ON, RESULT, CERTIFICATE]


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
    error_rows: int = 0
    new_subjects: list[str] = field(default_factory=list)

    @property
    def counts(self) -> dict:
        return {
            "rows": self.row_count, "valid": len(self.rows), "error_rows": self.error_rows,
            "errors": self.error_total,
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


@dataclass
class _Known:
    """What the rows are checked against: the registry, the staff records, the run."""

    run: CourseRun
    schools: SchoolIndex
    staff: dict
    enrolled: dict
    known_subjects: set[str]
    taken_numbers: dict[str, int]
    today: datetime.date
    seen: dict = field(default_factory=dict)
    certificates: dict = field(default_factory=dict)


def plan_students(batch: ImportBatch, content: bytes, progress=None
                  ) -> tuple[StudentPlan, dict]:
    """Read the run's list and check it against the registry, the schools' staff and the
    run; writes nothing."""
    if batch.region_id is None:
        raise TableError("Список слушателей загружается для региона.")
    run = _run(batch)
    reading = read_batch(batch, content, COLUMNS)
    require_mapped(reading, COLUMNS)
    plan = StudentPlan()
    parsed = parse_rows(reading.body.rows, reading.mapping, COLUMNS, plan, progress,
                        len(reading.body.rows))
    plan.row_count = len(parsed)
    taken = (Enrolment.objects.filter(run__course_id=run.course_id)
             .exclude(certificate_number="").values_list("certificate_number", "staff_id"))
    known = _Known(
        run=run, schools=SchoolIndex(batch.region_id),
        staff={(m.school_id, m.name_key): m
               for m in StaffMember.objects.filter(region_id=batch.region_id)},
        enrolled={e.staff_id: e for e in Enrolment.objects.filter(run=run)},
        known_subjects=set(Subject.objects.values_list("name_key", flat=True)),
        taken_numbers=dict(taken), today=timezone.localdate())
    for row in parsed:
        if not _student_row(plan, batch, row, known):
            plan.error_rows += 1
    if run.capacity is not None:
        # the places are counted for the rows that would be written: too few of them is
        # an error of the whole list, which leaving rows with errors out cannot get past
        new = sum(1 for r in plan.rows if r.enrolment is None)
        taken_places = sum(1 for e in known.enrolled.values()
                           if e.status != Enrolment.Status.WITHDRAWN)
        if taken_places + new > run.capacity:
            plan.error(None, "", f"на потоке {run.capacity} "
                                 f"{plural(run.capacity, 'место', 'места', 'мест')}, уже "
                                 f"записано слушателей: {taken_places}, новых в файле: {new}")
    if progress:
        progress(1, 1)
    return plan, reading.meta


def _student_row(plan: StudentPlan, batch: ImportBatch, row: ParsedRow, known: _Known) -> bool:
    """The checks of a parsed row that need the registry, the run or the other rows; adds
    the row to the plan and says whether it is valid."""
    number, values = row.number, row.values
    before = plan.error_total
    school_text = values.get("school", "")
    school = None
    if school_text:
        school, why = known.schools.resolve(school_text)
        if school is None:
            plan.error(number, SCHOOL.label, why or (
                f"школа «{school_text}» не найдена в реестре региона «{batch.region.name}». "
                "Укажите логин ФИС ОКО или название, как в реестре."))
    _check_completion(plan, row, known)
    if not row.ok or plan.error_total != before:
        return False
    full_name = values["full_name"]
    completed_on = values.get("completed_on")
    certificate = values.get("certificate", "")
    key = (school.pk, name_key(full_name))
    if key in known.seen:
        plan.error(number, NAME.label, f"{full_name} ({school.short_name}) "
                                       f"{said_of(full_name, 'уже указан')} в строке "
                                       f"{known.seen[key]}: педагог записывается на поток "
                                       "один раз")
        return False
    known.seen[key] = number
    member = known.staff.get(key)
    if member is not None and not member.is_active:
        plan.error(number, NAME.label,
                   f"{full_name} {said_of(full_name, 'отмечен')} в школе как выбывший педагог")
        return False
    current = known.enrolled.get(member.pk) if member else None
    if completed_on and current is not None and current.status == Enrolment.Status.WITHDRAWN:
        plan.error(number, COMPLETED_ON.label,
                   f"{full_name} {said_of(full_name, 'отчислен')} с потока: завершение не "
                   "отмечается")
        return False
    if certificate:
        owner = known.taken_numbers.get(certificate)
        if (owner is not None and (member is None or owner != member.pk)) or \
                certificate in known.certificates:
            plan.error(number, CERTIFICATE.label,
                       f"удостоверение № {certificate} уже выдано другому слушателю курса")
            return False
        known.certificates[certificate] = number
    subject = values.get("subject", "")
    if subject and subject_key(subject) not in known.known_subjects and \
            subject not in plan.new_subjects:
        plan.new_subjects.append(subject)
    plan.rows.append(StudentRow(number, full_name, school, values.get("position", ""), subject,
                                completed_on, values.get("result", ""), certificate, member,
                                current))
    return True


def _check_completion(plan: StudentPlan, row: ParsedRow, known: _Known) -> None:
    """A completion needs its date (inside the run, not in the future) and its result; a
    result or a certificate needs the date; «не зачтено» has no certificate. A cell that
    did not parse has its error already and is not reported twice."""
    values, number = row.values, row.number
    completed_on = values.get("completed_on")
    result = values.get("result", "")
    certificate = values.get("certificate", "")

    def written(name: str) -> bool:
        return cell_text(row.cells.get(name)) != ""

    if completed_on:
        run = known.run
        if completed_on < run.starts_on:
            plan.error(number, COMPLETED_ON.label,
                       f"дата завершения {completed_on:%d.%m.%Y} раньше начала обучения "
                       f"({run.starts_on:%d.%m.%Y})")
        elif completed_on > known.today:
            plan.error(number, COMPLETED_ON.label,
                       f"дата завершения {completed_on:%d.%m.%Y} ещё не наступила")
        if not result and not written("result"):
            plan.error(number, RESULT.label, "при дате завершения укажите результат "
                                             "аттестации")
    elif (result or certificate) and not written("completed_on"):
        plan.error(number, COMPLETED_ON.label, "результат и удостоверение указываются "
                                               "вместе с датой завершения")
    if certificate and result == Enrolment.Result.NOT_PASSED:
        plan.error(number, CERTIFICATE.label, "удостоверение при «не зачтено» не выдаётся")


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
    # A row with errors is left out of ``plan.rows``, and the apply only enrols, adds staff
    # records and records results for ``plan.rows``: nobody is withdrawn or changed for
    # being absent from the list. The run's capacity is checked on the rows that would be
    # written, as an error of the whole list (``row=None``) that skipping cannot pass.
    skippable=True,
    preview_message=lambda c: (f"Проверка завершена: будет записано {c['new']}, уже на потоке "
                               f"{c['already']}, с результатами обучения {c['completed']}."),
    applied_message=lambda c: (f"Список загружен: записано {c['new']}, результаты отмечены у "
                               f"{c['completed']}."),
    confirm_message=lambda c: (f"Будет записано слушателей: {c.get('new', 0)}; новых педагогов "
                               f"в кадровых списках школ: {c.get('staff_new', 0)}."),
)
register_importer(STUDENTS)
