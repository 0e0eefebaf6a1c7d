"""The management cycle's indicators of the demo region (seed 004 §3) for 2022, through
the real services: the catalogue, regional targets (seed 002's resolution asks to raise the
share of ШНОР in network interaction), the values the portal computes, and one entered value
with its evidence file."""

from __future__ import annotations

import datetime
from decimal import Decimal

from management.models import Indicator
from management.services import (
    RecommendationInput,
    calendar_create,
    catalogue_create,
    event_complete,
    recommendation_acknowledge,
    recommendation_issue,
    recommendation_report,
    target_set,
    value_enter,
    values_compute,
)

YEAR = 2022
#: code → the regional target of 2022
TARGETS = {"1.2": Decimal("50"), "1.3а": Decimal("80"), "1.4а": Decimal("30"),
           "1.4б": Decimal("40"), "1.4в": Decimal("60")}


def load_management(loader, region, staff) -> None:
    if Indicator.objects.filter(region=region, year=YEAR).exists():
        return  # a second run changes nothing
    indicators = {i.code: i for i in catalogue_create(actor=staff, region=region, year=YEAR)}
    for code, value in TARGETS.items():
        target_set(actor=staff, indicator=indicators[code], municipality=None, value=value)
    values_compute(actor=staff, region=region, year=YEAR)
    evidence = loader._docx_upload(
        ["Справка о диагностике профессиональных дефицитов педагогов ШНОР, 2022 г.",
         "Прошли диагностику 62,5 % педагогических работников школ перечня."],
        "Справка-диагностика-2022.docx")
    value_enter(actor=staff, indicator=indicators["1.3а"], municipality=None,
                value=Decimal("62.5"), upload=evidence,
                note="Диагностика профессиональных дефицитов педагогов ШНОР, ГБУ ДПО РО "
                     "РИПК и ППРО, ноябрь 2022 г.")
    for _ in indicators:
        loader.report.count("показателей управленческого цикла")
    load_calendar(loader, region, staff)
    load_recommendations(loader, region, staff, indicators)


#: The events of 2022 done (the day, what was found); «final_support» is left overdue.
DONE = {
    "diagnosis": (datetime.date(2022, 2, 25), "Диагностику прошли 62,5 % педагогов ШНОР; "
                  "выявлены дефициты в методических компетенциях."),
    "risk_profiles": (datetime.date(2022, 3, 30), "Рисковые профили 67 ШНОР составлены и "
                      "подтверждены кураторами."),
    "interim": (datetime.date(2022, 6, 28), "Промежуточный мониторинг программ: 54 школы "
                "выполняют мероприятия в срок, 13 — с отставанием."),
    "final_results": (datetime.date(2022, 12, 27), "Список школ с положительной динамикой "
                      "направлен региональному оператору."),
}


def load_calendar(loader, region, staff) -> None:
    events = {e.code: e for e in calendar_create(actor=staff, region=region, year=YEAR)}
    for code, (day, note) in DONE.items():
        upload = loader._docx_upload([events[code].title, note],
                                     f"Итоги — {events[code].title[:60]}.docx")
        event_complete(actor=staff, event=events[code], done_on=day, note=note, upload=upload)
        loader.report.count("мероприятий календаря мониторинга")


def load_recommendations(loader, region, staff, indicators) -> None:
    """Two recommendations of §7: to the demo school's head (accepted to work on and reported),
    and to the city of Шахты (waiting for its coordinator)."""
    from django.utils import timezone

    from core.models import Municipality, Notification, User
    from management.services import RECOMMENDATION_KIND
    from schools.models import School

    school = School.objects.get(short_name="МБОУ Первомайская СОШ")
    coordinator = User.objects.get(username="pervomayskaya.school")
    today = timezone.localdate()
    to_school = recommendation_issue(actor=staff, region=region, data=RecommendationInput(
        addressee="school", year=today.year, school=school, indicator=indicators["1.4а"],
        risk_code="R06",
        text="Разработать индивидуальные образовательные маршруты для учителей математики "
             "по итогам диагностики профессиональных дефицитов; согласовать их с тьютором "
             "РМА.", due_on=today + datetime.timedelta(days=45)))
    # the coordinator read the recommendation's notification before acting on it
    Notification.objects.filter(recipient=coordinator, kind=RECOMMENDATION_KIND,
                                read_at__isnull=True).update(read_at=timezone.now())
    recommendation_acknowledge(actor=coordinator, recommendation=to_school)
    recommendation_report(
        actor=coordinator, recommendation=to_school,
        text="Маршруты разработаны для трёх учителей математики, согласованы с тьютором.",
        upload=loader._docx_upload(["Приказ об утверждении ИОМ учителей математики"],
                                   "Приказ об ИОМ.docx"))
    recommendation_issue(actor=staff, region=region, data=RecommendationInput(
        addressee="municipality", year=today.year,
        municipality=Municipality.objects.get(region=region, name="г. Шахты"),
        indicator=indicators["1.4б"],
        text="Включить ШНОР города в сетевое взаимодействие со школами с высокими "
             "результатами: заключить договоры о сетевых парах до конца полугодия.",
        due_on=today + datetime.timedelta(days=60)))
    loader.report.count("адресных рекомендаций")
    loader.report.count("адресных рекомендаций")


# -- the Frolovo city district of the Volgograd region (seed 004) ----------------------------------
VOLGOGRAD = (34, "Волгоградская область")
FROLOVO = "городской округ город Фролово"
#: login → (number, ШНОР, ИОР 2020, 2021, 2022, ИСБ). Seed 004 §1: five schools, three of
#: them ШНОР by the results of 2021, № 6 chosen for the regional project. The other schools'
#: numbers and every index are illustrative (the seed gives none).
FROLOVO_SCHOOLS = {
    "sch340106": (6, True, "0.31", "0.29", "0.36", "0.39"),
    "sch340102": (2, True, "0.28", "0.33", "0.41", "0.47"),
    "sch340104": (4, True, "0.35", "0.33", "0.32", "0.44"),
    "sch340101": (1, False, "0.60", "0.61", "0.64", "0.62"),
    "sch340103": (3, False, "0.55", "0.57", "0.58", "0.41"),
}
#: Seed 004 §1: the risks of № 6's 2021 profile (motivation, academic failure, parents).
RISKS = {("sch340106", 2021): ("R08", "R06", "R07"), ("sch340106", 2022): ("R06", "R07"),
         ("sch340102", 2021): ("R01", "R06", "R07"), ("sch340102", 2022): ("R07",)}
#: The municipality's targets: (code, year) → value.
FROLOVO_TARGETS = {("1.2", 2021): Decimal("50"), ("1.2", 2022): Decimal("60"),
                   ("1.1а", 2022): Decimal("0.40"), ("1.4б", 2022): Decimal("30")}


def _frolovo_people(loader, region, municipality, schools):
    from core.roles import Role

    staff = loader.user("volgograd.region", "Кравцова", "Елена", "Петровна",
                        position="консультант комитета образования, науки и молодёжной "
                                 "политики Волгоградской области",
                        label="региональный координатор (Волгоград)")
    loader.role(staff, Role.REGIONAL_STAFF, region=region)
    mun = loader.user("frolovo.mun", "Тимиргалиева", "Светлана", "Викторовна",
                      position="старший методист информационно-методического отдела МКУ "
                               "«ИУЦ» городского округа город Фролово",
                      label="муниципальный координатор (Фролово)")
    loader.role(mun, Role.MUNICIPAL_COORDINATOR, municipality=municipality)
    school = loader.user("frolovo6.school", "Белова", "Ирина", "Анатольевна",
                         position="заместитель директора по УВР МКОУ «Средняя школа № 6»",
                         label="координатор школы (Фролово, № 6)")
    loader.role(school, Role.SCHOOL_COORDINATOR, school=schools["sch340106"])
    return staff, mun, school


def _frolovo_schools(loader, region, municipality) -> dict:
    from schools.models import SchoolYear

    schools = {}
    for login, (number, shnor, *ior, isb) in FROLOVO_SCHOOLS.items():
        name = f"МКОУ «Средняя школа № {number}»"
        school = loader.school(municipality, login, name, f"Муниципальное казённое "
                               f"общеобразовательное учреждение «Средняя школа № {number}» "
                               f"городского округа город Фролово Волгоградской области",
                               is_demo=False, is_rural=False)
        for year, value in zip((2020, 2021, 2022), ior, strict=True):
            SchoolYear.objects.get_or_create(region=region, school=school, year=year, defaults={
                "is_shnor": shnor and year >= 2021, "is_participant": shnor and year >= 2021,
                "ior": Decimal(value), "isb": Decimal(isb)})
        schools[login] = school
    return schools


def _frolovo_profiles(staff, schools) -> None:
    from risk_profiles.services import (
        ItemChange,
        profile_create,
        profile_transition,
        profile_update,
    )

    for (login, year), codes in RISKS.items():
        profile = profile_create(actor=staff, school=schools[login], year=year)
        profile_update(actor=staff, profile=profile, changes={
            code: ItemChange(activated=True, level="high",
                             justification="Анализ результатов оценочных процедур и анкет "
                                           "ФИОКО") for code in codes})
        profile_transition(actor=staff, profile=profile, action="submit")


def load_frolovo(loader) -> None:
    """Seed 004's district: five schools (three ШНОР), № 6 with its three risks, the
    indicators of 2021 and 2022 with municipal targets, the calendar, two recommendations,
    приказ № 464 (the Concept) with its effect, a network pair and the exit list."""
    from management.services import (
        DecisionInput,
        decision_record,
        exit_list_build,
    )

    region = loader.region(*VOLGOGRAD)
    if Indicator.objects.filter(region=region).exists():
        return  # a second run changes nothing
    municipality = loader.municipality(region, FROLOVO)
    schools = _frolovo_schools(loader, region, municipality)
    staff, mun, coordinator = _frolovo_people(loader, region, municipality, schools)
    _frolovo_profiles(staff, schools)
    from schools.services import thresholds_set

    for year in (2021, 2022):
        thresholds_set(actor=staff, region=region, year=year, ior_min=Decimal("0.5"),
                       isb_min=Decimal("0.5"))
    _frolovo_pair(loader, staff, schools)
    indicators = {}
    for year in (2021, 2022):
        for i in catalogue_create(actor=staff, region=region, year=year):
            indicators[i.code, year] = i
    for key, value in FROLOVO_TARGETS.items():
        target_set(actor=mun, indicator=indicators[key], municipality=municipality,
                   value=value)
    for year in (2021, 2022):
        values_compute(actor=staff, region=region, year=year)
    load_calendar(loader, region, staff)
    _frolovo_recommendations(loader, region, mun, coordinator, schools, indicators)
    decision_record(actor=mun, region=region, upload=loader._docx_upload(
        ["Приказ отдела по образованию, опеке и попечительству Администрации городского округа "
         "город Фролово от 30.12.2021 № 464",
         "Об утверждении Концепции реализации системы работы со школами с низкими результатами "
         "обучения и школами, функционирующими в неблагоприятных социальных условиях."],
        "Приказ № 464 от 30.12.2021.docx"), data=DecisionInput(
        kind="organizing", document_type="order", number="464",
        signed_on=datetime.date(2021, 12, 30), year=2021, municipality=municipality,
        title="Об утверждении Концепции реализации системы работы со школами с низкими "
              "результатами обучения и школами, функционирующими в неблагоприятных "
              "социальных условиях", author="Отдел по образованию, опеке и попечительству "
                                           "Администрации городского округа город Фролово",
        indicator_codes=("1.1а", "1.2"), schools=(schools["sch340106"],)))
    loader.report.count("управленческих решений")
    exit_list_build(actor=staff, region=region, year=2022)


def _frolovo_pair(loader, staff, schools) -> None:
    from mentoring import services as m

    start = datetime.date(2022, 2, 1)
    m.pair_create(actor=staff, upload=loader._docx_upload(
        ["Соглашение о сетевом взаимодействии «сетевая пара» № 1",
         "МКОУ «Средняя школа № 1» (школа-наставник) и МКОУ «Средняя школа № 6»."],
        "Соглашение сетевая пара № 1.docx"), data=m.PairInput(
        school=schools["sch340106"], mentor=schools["sch340101"], year=2022, start_on=start,
        agreement_number="1", agreement_date=datetime.date(2022, 1, 25),
        areas=("R06", "R07")))
    loader.report.count("сетевых пар")


def _frolovo_recommendations(loader, region, mun, coordinator, schools, indicators) -> None:
    from django.utils import timezone

    from management.services import recommendation_decide

    today = timezone.localdate()
    motivation = recommendation_issue(actor=mun, region=region, data=RecommendationInput(
        addressee="school", year=today.year, school=schools["sch340106"],
        indicator=indicators["1.2", 2022], risk_code="R08",
        text="Разработать и включить в программу повышения качества образования мероприятия "
             "по повышению учебной мотивации обучающихся (риск «Низкая учебная мотивация»).",
        due_on=today + datetime.timedelta(days=14)))
    recommendation_acknowledge(actor=coordinator, recommendation=motivation)
    report = loader._docx_upload(["Программа повышения качества образования дополнена "
                                  "разделом «Учебная мотивация»."], "Приказ по школе № 6.docx")
    recommendation_report(actor=coordinator, recommendation=motivation, upload=report,
                          text="Программа дополнена; проведён педсовет, утверждён план "
                               "внеурочных проектов.")
    recommendation_decide(actor=mun, recommendation=motivation, accept=True)
    recommendation_issue(actor=mun, region=region, data=RecommendationInput(
        addressee="school", year=today.year, school=schools["sch340104"],
        indicator=indicators["1.2", 2022], risk_code="R06",
        text="Организовать адресную работу с обучающимися с рисками учебной неуспешности: "
             "индивидуальные планы и консультации учителей-предметников.",
        due_on=today + datetime.timedelta(days=30)))
    for _ in range(2):
        loader.report.count("адресных рекомендаций")

