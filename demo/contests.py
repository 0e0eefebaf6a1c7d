"""The demo region's contest «Наша история успеха» (seed 000), through the real services:

* 2021, published: the three project schools the seed names as prize-winners — МБОУ СОШ
  № 35 г. Шахты (I место, «Модели наставничества, сетевого взаимодействия на уровне школы
  и муниципалитета»), МБОУ Колушкинская СОШ и МБОУ Рыновская ООШ Тарасовского района
  (I и II место, «Концепция развития по переходу ШНОР и ШССУ в режим развития…»), scored by
  a jury of three methodists of the pool; their practices are in the bank;
* 2022, «приём заявок» (May–September 2022, приказ № 432): the six nominations of
  ``contest_nominations_2022.csv`` and the demo school's application.

The seed gives no scores; the jurors' scores are generated so that the seed's places hold.
"""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from contests import services
from contests.models import Edition
from core.files import upload_check
from core.models import Municipality, Region, User
from core.roles import Role
from core.text import municipality_key
from methodists.models import Methodist, Subject
from methodists.services import MethodistData, methodist_update
from risk_profiles.models import RiskFactor
from schools.models import School
from training.models import Course

from .training import COURSE_2022

ORDER_2022 = "приказ минобразования Ростовской области от 29.04.2022 № 432"
NOMINATION_MENTORING = ("Модели наставничества, сетевого взаимодействия на уровне школы и "
                        "муниципалитета")
NOMINATION_CONCEPT = ("Концепция развития по переходу ШНОР и ШССУ в режим развития, "
                      "обеспечивающего повышение качества образования")
#: (username, city of the methodist's pool record) — jurors with portal accounts.
JURORS = [("jury.azov", "г. Азов"), ("jury.bataysk", "г. Батайск"),
          ("jury.novocherkassk", "г. Новочеркасск")]


def _pdf(name: str, text: str):
    """A real one-page PDF of the material (an upload is judged by its structure)."""
    from django.utils.html import escape

    from core.pdf import html_to_pdf

    body = html_to_pdf(f"<html lang='ru'><body><h1>{escape(name.rsplit('.', 1)[0])}</h1>"
                       f"<p>{escape(text)}</p></body></html>")
    return upload_check(SimpleUploadedFile(name, body), name, len(body))


def _municipality(region: Region, name: str) -> Municipality:
    return Municipality.objects.get(region=region, name_key=municipality_key(name))


def _jurors(loader, region: Region, staff: User) -> list[Methodist]:
    out = []
    for username, city in JURORS:
        methodist = (Methodist.objects.filter(region=region, municipality__name=city,
                                              status=Methodist.Status.ACTIVE)
                     .order_by("full_name").first())
        last, first, middle = methodist.full_name.split()
        user = loader.user(username, last, first, middle, position="методист РМА",
                           organisation=methodist.workplace_label,
                           label=f"член жюри конкурса ({city})")
        loader.role(user, Role.METHODIST, region=region)
        if methodist.user_id != user.pk:
            methodist_update(actor=staff, methodist=methodist, data=MethodistData(
                full_name=methodist.full_name, municipality=methodist.municipality,
                subjects=list(methodist.subjects.all()), workplace=methodist.workplace,
                position=methodist.position, assessed_on=methodist.assessed_on,
                assessment_score=methodist.assessment_score, is_tutor=methodist.is_tutor,
                user=user))
        out.append(Methodist.objects.get(pk=methodist.pk))
    return out


def _coordinator(loader, school: School, username: str, last: str, first: str,
                 middle: str) -> User:
    user = loader.user(username, last, first, middle, position="заместитель директора",
                       organisation=school.short_name)
    loader.role(user, Role.SCHOOL_COORDINATOR, school=school)
    return user


def load_contests(loader, region: Region, staff: User) -> None:
    if Edition.objects.filter(region=region).exists():
        return
    jurors = _jurors(loader, region, staff)
    _edition_2021(loader, region, staff, jurors)
    loader.report.count("конкурсов")
    _edition_2022(loader, region, staff)
    loader.report.count("конкурсов")


def _edition_2021(loader, region, staff, methodists) -> None:
    edition = services.edition_create(
        actor=staff, region=region, year=2021, regulation_order="приказ минобразования "
        "Ростовской области 2021 года о смотре-конкурсе «Наша история успеха»",
        applications_open=datetime.date(2021, 5, 1),
        applications_close=datetime.date(2021, 9, 30),
        review_close=datetime.date(2021, 10, 31), results_on=datetime.date(2021, 11, 15),
        publication_on=datetime.date(2021, 11, 30))
    concept = services.nomination_create(actor=staff, edition=edition,
                                         title=NOMINATION_CONCEPT)
    mentoring = services.nomination_create(actor=staff, edition=edition,
                                           title=NOMINATION_MENTORING)
    services.edition_advance(actor=staff, edition=edition, expected=Edition.Stage.DRAFT)
    shakhty = _municipality(region, "г. Шахты")
    tarasovsky = _municipality(region, "Тарасовский район")
    entries = [
        (loader.school(shakhty, "sch619935", "МБОУ СОШ № 35 г. Шахты",
                       "Муниципальное бюджетное общеобразовательное учреждение г. Шахты "
                       "Ростовской области «Средняя общеобразовательная школа № 35»",
                       is_demo=True, is_rural=False),
         mentoring, "Наставничество «учитель — учитель» в сети школ города",
         ("school35.shakhty", "Гончарова", "Ирина", "Петровна"), [9, 9, 8, 9, 9]),
        (loader.school(tarasovsky, "sch619936", "МБОУ Колушкинская СОШ",
                       "Муниципальное бюджетное общеобразовательное учреждение Колушкинская "
                       "средняя общеобразовательная школа Тарасовского района",
                       is_demo=True, is_rural=True),
         concept, "Концепция развития сельской школы: от диагностики рисков к результату",
         ("kolushkinskaya.school", "Дьяченко", "Светлана", "Ивановна"), [9, 8, 9, 8, 9]),
        (loader.school(tarasovsky, "sch619937", "МБОУ Рыновская ООШ",
                       "Муниципальное бюджетное общеобразовательное учреждение Рыновская "
                       "основная общеобразовательная школа Тарасовского района",
                       is_demo=True, is_rural=True),
         concept, "Малая школа — большие возможности: программа перехода в режим развития",
         ("rynovskaya.school", "Корнеева", "Наталья", "Викторовна"), [8, 8, 7, 8, 8]),
    ]
    applications = []
    for (school, nomination, title, person, _), subjects in zip(
            entries, (["Математика"], ["Русский язык", "Математика"], ["Русский язык"]),
            strict=True):
        coordinator = _coordinator(loader, school, *person)
        applications.append(services.application_create(
            actor=coordinator, edition=edition, nomination=nomination, school=school,
            data=services.ApplicationData(
                title=title, authors=f"{person[1]} {person[2]} {person[3]}, заместитель "
                                     "директора по УВР",
                description="Практика перевода школы в эффективный режим работы: анализ "
                            "рисков, программа действий, результаты ВПР и ГИА за три года.",
                subjects=tuple(Subject.objects.filter(name__in=subjects))),
            files=[("Описание практики", _pdf("Описание практики.pdf", title))],
            today=datetime.date(2021, 6, 1)))
    for nomination in (concept, mentoring):
        for methodist in methodists:
            services.juror_add(actor=staff, nomination=nomination, methodist=methodist,
                               is_chair=methodist is methodists[0])
        services.assignments_auto(actor=staff, nomination=nomination)
    services.edition_advance(actor=staff, edition=edition, expected=Edition.Stage.APPLICATIONS)
    for application, (_, _, _, _, scores) in zip(applications, entries, strict=True):
        criteria = list(application.nomination.criteria.all())
        for assignment in application.assignments.select_related("juror__methodist__user"):
            services.review_save(
                actor=assignment.juror.methodist.user, assignment=assignment,
                values={c.pk: (v, "") for c, v in zip(criteria, scores, strict=True)},
                comment="Практика обоснована и результативна.", submit=True)
    services.edition_advance(actor=staff, edition=edition, expected=Edition.Stage.REVIEW)
    for application, place in zip(applications, (1, 1, 2), strict=True):
        services.application_result_set(actor=staff, application=application, place=place,
                                        in_bank=True)
    services.edition_advance(actor=staff, edition=edition, expected=Edition.Stage.RESULTS)
    # seed 000, stages 7–8: the practices go into the programmes of further training
    course = Course.objects.get(region=region, title=COURSE_2022)
    for application in applications:
        services.practice_courses_set(actor=staff, application=application, courses=[course])


def _edition_2022(loader, region, staff) -> None:
    edition = services.edition_create(
        actor=staff, region=region, year=2022, regulation_order=ORDER_2022,
        applications_open=datetime.date(2022, 5, 1),
        applications_close=datetime.date(2022, 9, 30),
        review_close=datetime.date(2022, 10, 31), results_on=datetime.date(2022, 11, 15),
        publication_on=datetime.date(2022, 11, 30), load_nominations=True)
    services.regulation_upload(actor=staff, edition=edition, upload=_pdf(
        "Положение о смотре-конкурсе.pdf", ORDER_2022))
    services.edition_advance(actor=staff, edition=edition, expected=Edition.Stage.DRAFT)
    school = School.objects.get(region=region, short_name="МБОУ Первомайская СОШ")
    coordinator = User.objects.get(username="pervomayskaya.school")
    nomination = edition.nominations.get(title="Опыт профилактики учебной неуспешности "
                                               "обучающихся")
    services.application_create(
        actor=coordinator, edition=edition, nomination=nomination, school=school,
        data=services.ApplicationData(
            title="Школа без неуспевающих: система раннего выявления учебных трудностей",
            authors="Коллектив МБОУ Первомайская СОШ",
            description="Мониторинг успеваемости каждую четверть, индивидуальные планы "
                        "для обучающихся группы риска, консультации учителей-предметников.",
            risk_factors=tuple(RiskFactor.objects.filter(year=2022, code="R06"))),
        files=[("Описание практики", _pdf("Практика.pdf", "Первомайская СОШ"))],
        today=datetime.date(2022, 6, 15))
