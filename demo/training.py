"""The demo region's methodical pool and training (seed 000), loaded through the real
imports and services:

* РМА: 308 methodists in the nine subject groups of ``rostov_rma_by_subject_2022.csv``,
  225 of them in the 39 municipalities of ``rostov_2022_districts.csv`` (as many in each as
  the table says), the other 83 in the region's cities without ШНОР;
* the course «Школа современного учителя» 2021: 1 676 teachers completed it, 510 from ШНОР
  (30 %), per subject as ``course_school_of_modern_teacher_2021.csv``;
* a 2022 run on functional literacy with ШНОР teachers, some of them finished;
* individual routes of the demo school's teachers, tutored by the demo methodist.

Names of people are generated; figures are the sources'.
"""

from __future__ import annotations

import datetime
import itertools

from core.exceptions import DomainError
from core.jobs import job_run
from core.models import Region, User
from schools.models import ImportBatch, School, SchoolYear
from schools.services import import_apply_start, import_batch_create

#: Cities of the region with no ШНОР in the 2022 list (the pool's other 83 work there).
RMA_ELSEWHERE = ["г. Новочеркасск", "г. Батайск", "г. Азов", "г. Каменск-Шахтинский",
                 "г. Донецк"]
SURNAMES = ["Иванов", "Петров", "Сидоров", "Кузнецов", "Смирнов", "Попов", "Волков",
            "Соколов", "Лебедев", "Козлов", "Новиков", "Морозов", "Павлов", "Семёнов",
            "Голубев", "Виноградов", "Богданов", "Воробьёв", "Фёдоров", "Михайлов",
            "Беляев", "Тарасов", "Белов", "Комаров", "Орлов", "Киселёв", "Макаров",
            "Андреев", "Ковалёв", "Ильин", "Гусев", "Титов", "Кузьмин", "Кудрявцев",
            "Баранов", "Куликов", "Алексеев", "Степанов", "Яковлев", "Сорокин"]
FIRST = ["Елена", "Ольга", "Татьяна", "Наталья", "Ирина", "Светлана", "Марина", "Галина",
         "Людмила", "Анна", "Юлия", "Оксана", "Валентина", "Надежда", "Екатерина",
         "Вера", "Лариса", "Любовь", "Алла", "Жанна"]
MIDDLE = ["Александровна", "Сергеевна", "Ивановна", "Николаевна", "Владимировна",
          "Петровна", "Викторовна", "Юрьевна", "Михайловна", "Анатольевна", "Васильевна"]
COURSE_2021 = "Школа современного учителя"
COURSE_2022 = "Формирование функциональной грамотности обучающихся"
ORGANISER = "ГБУ ДПО РО «РИПК и ППРО»"


def people(count: int, offset: int = 0) -> list[str]:
    """Distinct generated full names (women's forms: most teachers are women)."""
    names = []
    for i in range(offset, offset + count):
        surname = SURNAMES[i % len(SURNAMES)] + "а"
        first = FIRST[(i // len(SURNAMES)) % len(FIRST)]
        middle = MIDDLE[(i // (len(SURNAMES) * len(FIRST))) % len(MIDDLE)]
        names.append(f"{surname} {first} {middle}")
    return names


def _spread(counts: dict[str, int]) -> list[str]:
    """[«a», «a», «b», …] round-robin, so each group is spread evenly over another list."""
    pools = [[k] * v for k, v in counts.items()]
    out = []
    for group in itertools.zip_longest(*pools):
        out.extend(x for x in group if x is not None)
    return out


def _import(loader, actor, region, kind, rows, file_name, year, params=None) -> ImportBatch:
    from demo.loader import _xlsx

    batch, job = import_batch_create(actor=actor, region=region, year=year, kind=kind,
                                     file_name=file_name, content=_xlsx(file_name, rows),
                                     params=params)
    job_run(job.pk)
    batch.refresh_from_db()
    if batch.status != ImportBatch.Status.PREVIEWED:
        raise DomainError(f"Демо-файл {file_name}: {batch.message or batch.errors[:3]}")
    job_run(import_apply_start(actor=actor, batch=batch).pk)
    return batch


def load_pool(loader, region: Region, staff: User) -> None:
    from methodists.models import Methodist

    if Methodist.objects.filter(region=region).exists():
        return
    districts = loader.read("rostov_2022_districts.csv")
    subjects = {r["subject"]: int(r["teachers"]) for r in loader.read(
        "rostov_rma_by_subject_2022.csv")}
    places = []
    for row in districts:
        places += [row["municipality"].strip()] * int(row["rma_methodists"])
    elsewhere = sum(subjects.values()) - len(places)
    for name in RMA_ELSEWHERE:
        loader.municipality(region, name)
    places += [RMA_ELSEWHERE[i % len(RMA_ELSEWHERE)] for i in range(elsewhere)]
    names = people(len(places), offset=3)
    names[0] = "Методистова Елена Андреевна"  # the demo methodist's own record
    order = _spread(subjects)
    rows = [["ФИО", "Муниципалитет", "Место работы", "Предмет", "Дата оценки компетенций",
             "Результат, %", "Тьютор"]]
    shakhty = "г. Шахты"
    for i, (name, place, subject) in enumerate(zip(names, sorted(places, key=lambda p: (
            p != shakhty, p)), order, strict=True)):
        rows.append([name, place, f"МБОУ СОШ № {i % 40 + 1} ({place})", subject,
                     datetime.date(2022, 3, 15 + i % 10), 70 + i % 30,
                     "да" if i % 5 == 0 else "нет"])
    _import(loader, staff, region, ImportBatch.Kind.METHODISTS, rows, "rma-rostov-2022.xlsx",
            2022)
    from methodists.services import MethodistData, methodist_update

    mine = Methodist.objects.get(region=region, full_name=names[0])
    methodist_update(actor=staff, methodist=mine, data=MethodistData(
        full_name=mine.full_name, municipality=mine.municipality,
        subjects=list(mine.subjects.all()), workplace="МБОУ СОШ № 4 г. Шахты",
        position="учитель математики", assessed_on=mine.assessed_on,
        assessment_score=mine.assessment_score, is_tutor=True,
        user=User.objects.get(username="rostov.methodist")))
    loader.report.count("загрузок состава РМА")


def _other_schools(loader, region: Region, count: int) -> list[School]:
    """Schools of the region that are not ШНОР (their teachers took the 2021 course too)."""
    schools = []
    for i in range(count):
        city = RMA_ELSEWHERE[i % len(RMA_ELSEWHERE)]
        municipality = loader.municipality(region, city)
        number = 10 + i
        schools.append(loader.school(municipality, f"sch61{90 + i // 90:02d}{i % 90 + 10:02d}",
                                     f"МБОУ СОШ № {number} ({city})",
                                     f"Муниципальное бюджетное общеобразовательное учреждение "
                                     f"средняя общеобразовательная школа № {number}",
                                     is_demo=True, is_rural=False))
    return schools


def load_training(loader, region: Region, staff: User) -> None:
    from training.models import Course
    from training.services import course_create, run_create

    if Course.objects.filter(region=region).exists():
        return
    shnor = list(School.objects.filter(
        pk__in=SchoolYear.objects.filter(region=region, year=2022, is_shnor=True)
        .values("school_id")).order_by("login"))
    _shnor_2021(loader, region, staff, shnor)
    others = _other_schools(loader, region, 40)
    course = course_create(actor=staff, region=region, title=COURSE_2021,
                           audience="учителя-предметники", hours=72,
                           form="blended", provider=ORGANISER,
                           description="Федеральный проект «Современная школа»: обновление "
                                       "предметных и методических компетенций учителей.")
    run = run_create(actor=staff, course=course, starts_on=datetime.date(2021, 2, 1),
                     ends_on=datetime.date(2021, 11, 30), label="2021")
    table = loader.read("course_school_of_modern_teacher_2021.csv")
    rows = [["ФИО", "Школа", "Должность", "Предмет", "Дата завершения",
             "Результат аттестации", "Номер удостоверения"]]
    shnor_cycle, other_cycle = itertools.cycle(shnor), itertools.cycle(others)
    names = iter(people(3000, offset=500))
    number = itertools.count(1)
    for row in table:
        total, from_shnor = int(row["teachers_total"]), int(row["teachers_from_shnor"])
        for i in range(total):
            school = next(shnor_cycle) if i < from_shnor else next(other_cycle)
            rows.append([next(names), school.login, f"учитель ({row['subject'].lower()})",
                         row["subject"], datetime.date(2021, 11, 30), "зачтено",
                         f"612400{next(number):05d}"])
    _import(loader, staff, region, ImportBatch.Kind.ENROLMENTS, rows,
            "shsu-2021-slushateli.xlsx", 2021, {"run": str(run.public_id)})
    course2 = course_create(actor=staff, region=region, title=COURSE_2022,
                            audience="учителя ШНОР", hours=36, form="distance",
                            provider=ORGANISER)
    run2 = run_create(actor=staff, course=course2, starts_on=datetime.date(2022, 9, 1),
                      ends_on=datetime.date(2022, 12, 20), label="поток 1")
    rows = [["ФИО", "Школа", "Предмет", "Дата завершения", "Результат аттестации"]]
    subjects = ["Русский язык", "Математика", "Начальные классы", "Биология", "История"]
    for i, name in enumerate(people(690, offset=3600)):
        school = shnor[i % len(shnor)]
        done = i % 23 < 8  # 240 of 690 finished
        rows.append([name, school.login, subjects[i % len(subjects)],
                     datetime.date(2022, 12, 20) if done else None,
                     "зачтено" if done else None])
    _import(loader, staff, region, ImportBatch.Kind.ENROLMENTS, rows,
            "fg-2022-potok1.xlsx", 2022, {"run": str(run2.public_id)})
    loader.report.count("курсов")
    loader.report.count("курсов")
    load_routes(loader, region, staff, shnor)


def _shnor_2021(loader, region, staff, shnor: list[School]) -> None:
    """The 2021 ШНОР list (the same schools): «from ШНОР» is judged by the run's year."""
    if SchoolYear.objects.filter(region=region, year=2021).exists():
        return
    admin = User.objects.get(username="admin")
    rows = [["Логин", "Полное наименование", "Муниципалитет", "ШНОР"]]
    rows += [[s.login, s.full_name, s.municipality.name, "да"] for s in shnor]
    _import(loader, admin, region, ImportBatch.Kind.SHNOR, rows, "shnor-61-2021.xlsx", 2021)


def load_routes(loader, region: Region, staff: User, shnor: list[School]) -> None:
    from methodists.models import Methodist
    from training.models import CourseRun, StaffMember
    from training.services import deficit_add, note_add, route_create, step_add, step_done

    school = School.objects.get(short_name="МБОУ Первомайская СОШ", region=region)
    tutor = Methodist.objects.get(region=region, user__username="rostov.methodist")
    coordinator = User.objects.get(username="pervomayskaya.school")
    run = CourseRun.objects.get(course__title=COURSE_2022, region=region)
    teachers = list(StaffMember.objects.filter(school=school).order_by("full_name")[:3])
    for i, member in enumerate(teachers):
        route = route_create(actor=staff, member=member, year=2022, tutor=tutor)
        deficit = deficit_add(
            actor=coordinator, route=route, area="literacy",
            description="Проектирование заданий на читательскую грамотность",
            source="diagnostic", diagnostic="Диагностика профессиональных дефицитов (ЦНППМ)",
            diagnosed_on=datetime.date(2022, 9, 12), diagnostic_score=48 + i * 7)
        step_add(actor=coordinator, route=route, kind="course", run=run, deficit=deficit,
                 due_on=datetime.date(2022, 12, 20))
        step = step_add(actor=tutor.user, route=route, kind="tutoring", deficit=deficit,
                        description="Разбор уроков с тьютором: приёмы смыслового чтения",
                        due_on=datetime.date(2022, 11, 15))
        if i == 0:
            step_done(actor=tutor.user, step=step, done_on=datetime.date(2022, 11, 14))
        note_add(actor=tutor.user, route=route,
                 text="Первая встреча проведена: педагог выбрал две темы для открытых уроков.")
        loader.report.count("ИОМ")
