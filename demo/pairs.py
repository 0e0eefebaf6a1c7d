"""Network pairs of the demo region (seed 004: «сетевые пары», управленческое менторство)
for 2022, through the real services: two mentor schools outside the programme list (one
effective in the municipality of the first school, one resilient in another), the region's
ИОР/ИСБ thresholds of 2022 when it has none, and three pairs of ШНОР whose risk profiles
were passed on with activated risks — two working, with a few joint activities, and one
ended with its reason.

Run after the risk profiles, the lists and the personas are loaded (see the report of
``DemoLoader.load``); a second run changes nothing."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

YEAR = 2022
ROSTOV = 61
#: login, short name, ИОР, ИСБ — an effective school (both indices high) and a resilient
#: one (high ИОР despite a low ИСБ), by thresholds ИОР ≥ 0,5 and ИСБ ≥ 0,5.
#: Their logins stay clear of the ones tests import as new schools (sch6199xx).
MENTORS = (("sch619801", "МБОУ Гимназия № 3", "0.86", "0.74"),
           ("sch619802", "МБОУ СОШ № 12", "0.79", "0.36"))


def _upload(paragraphs, name):
    import docx

    from core.files import upload_check

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    out.seek(0)
    return upload_check(out, name, len(out.getvalue()))


def _mentees(region) -> list:
    """ШНОР of 2022 whose profile is passed on with activated risks, by name."""
    from mentoring.selectors import activated_risks
    from risk_profiles.models import RiskProfile
    from schools.facts import programme_schools

    ids = programme_schools(YEAR, region=region).values("school_id")
    profiles = (RiskProfile.objects.filter(region=region, year=YEAR, school_id__in=ids)
                .exclude(status=RiskProfile.Status.DRAFT)
                .select_related("school", "school__municipality").order_by("school__short_name"))
    return [(p.school, list(activated_risks(p.school, YEAR))) for p in profiles
            if activated_risks(p.school, YEAR)][:3]


def _mentor_schools(region, mentees) -> list:
    from core.models import Municipality
    from schools.models import School, SchoolYear
    from schools.services import school_create

    home = mentees[0][0].municipality
    other = (Municipality.objects.filter(region=region).exclude(pk=home.pk)
             .order_by("name").first() or home)
    schools = []
    for (login, name, ior, isb), municipality in zip(MENTORS, (home, other), strict=True):
        school = School.objects.filter(login=login).first() or school_create(
            actor=None, municipality=municipality, login=login, short_name=name,
            full_name=f"{name}, {municipality.name}", is_demo=True)
        SchoolYear.objects.get_or_create(
            region=region, school=school, year=YEAR,
            defaults={"ior": Decimal(ior), "isb": Decimal(isb), "category": ""})
        schools.append(school)
    return schools


ACTIVITIES = (
    ("master_class", datetime.date(2022, 3, 24), "Мастер-класс «Формирующее оценивание на "
     "уроках математики»", "учителя математики обеих школ", 9),
    ("visit", datetime.date(2022, 4, 14), "Взаимное посещение уроков и разбор по протоколу",
     "заместители директоров по УВР, 4 учителя", 6),
    ("consultation", datetime.date(2022, 5, 19), "Консультация управленческой команды по "
     "программе антирисковых мер", "директор, заместители директора", 5),
)


def load_pairs() -> None:
    """Three pairs in the Rostov region (see the module's note); a no-op once there are."""
    from core.models import Region, User
    from mentoring import services as m
    from mentoring.models import Pair
    from schools.models import IndexThresholds
    from schools.services import thresholds_set

    region = Region.objects.get(code=ROSTOV)
    if Pair.objects.filter(region=region).exists():
        return
    staff = User.objects.get(username="rostov.region")
    mentees = _mentees(region)
    if not mentees:
        return
    if not IndexThresholds.objects.filter(region=region, year=YEAR).exists():
        thresholds_set(actor=staff, region=region, year=YEAR, ior_min=Decimal("0.5"),
                       isb_min=Decimal("0.5"))
    effective, resilient = _mentor_schools(region, mentees)
    plan = [(mentees[0], effective, datetime.date(2022, 3, 1)),
            (mentees[1 % len(mentees)], resilient, datetime.date(2022, 3, 10)),
            (mentees[2 % len(mentees)], effective, datetime.date(2022, 2, 1))]
    pairs = []
    for number, ((school, risks), mentor, start) in enumerate(plan, start=1):
        if Pair.objects.filter(school=school, mentor=mentor).exists():
            continue
        agreement = _upload([f"Соглашение о сетевом взаимодействии № СП-{number}",
                             f"{mentor.short_name} и {school.short_name}: «сетевая пара» "
                             f"на {YEAR} год."], f"Соглашение СП-{number}.docx")
        pairs.append(m.pair_create(actor=staff, upload=agreement, data=m.PairInput(
            school=school, mentor=mentor, year=YEAR, start_on=start,
            agreement_number=f"СП-{number}", agreement_date=start - datetime.timedelta(days=7),
            areas=tuple(risks[:2]))))
    for pair in pairs[:2]:
        for kind, day, title, who, count in ACTIVITIES:
            m.activity_add(actor=staff, pair=pair, data=m.ActivityInput(
                kind=kind, held_on=day, title=title, participants=who,
                participants_count=count))
    if len(pairs) == 3:
        m.pair_end(actor=staff, pair=pairs[2], end_on=datetime.date(2022, 6, 30),
                   reason="Школа перешла в благоприятный режим работы: цели соглашения "
                          "достигнуты.")
