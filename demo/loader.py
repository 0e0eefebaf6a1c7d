"""The demo region: Rostov 2022 from ``shared/data`` plus a small second region.

Everything is created through the apps' services (so it is audited like real work) and
looked up by natural keys first, so a second run creates nothing and writes no audit rows.
School names are invented where the source gives only a count per municipality; those
schools carry ``is_demo=True`` and show a «демо» badge.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from openpyxl import Workbook

from core.exceptions import DomainError
from core.jobs import job_run
from core.models import Municipality, Region, RoleMembership, User
from core.roles import Role
from core.services import membership_create, municipality_create, region_create, user_create
from core.text import count_phrase, municipality_key, name_key, transliterate
from curators.models import CuratorAssignment, CuratorOrder, ExpertiseSheet, WorkLogEntry
from curators.services import (
    AssignmentTerms,
    LogInput,
    assignment_create,
    order_create,
    scheme_load,
    sheet_save,
    worklog_add,
)
from risk_profiles.models import RiskProfile
from risk_profiles.services import (
    ItemChange,
    catalogue_load,
    profile_create,
    profile_transition,
    profile_update,
)
from roadmaps.models import (
    Document,
    DocumentKind,
    PlanStage,
    ReturnReason,
    Roadmap,
    RoadmapItem,
)
from roadmaps.selectors import activated_risks
from roadmaps.services import Slot, document_transition, document_upload, kinds_load, upload_check
from roadmaps.services.plans import (
    ItemInput,
    StageInput,
    item_add,
    item_complete,
    school_roadmap_start,
    stage_save,
)
from schools.models import ImportBatch, School
from schools.services import import_apply_start, import_batch_create, school_create

ROSTOV = (61, "Ростовская область")
SVERDLOVSK = (66, "Свердловская область")
KAMENSK = "Каменск-Уральский городской округ"
CURATOR_ORDER = ("235", datetime.date(2022, 3, 9))  # приказ от 09.03.2022 № 235
CURATOR_ORGANISATION = "ГБУ ДПО РО «РИПК и ППРО»"
YEAR = 2022

# Schools named in the source (seed 000, the curator's risk matrix, table 2).
REAL_ROSTOV_SCHOOLS = {
    "Красносулинский район": ["МБОУ Первомайская СОШ", "МБОУ Михайловская СОШ"],
    "Матвеево-Курганский район": ["МБОУ Большекирсановская СОШ"],
    "Миллеровский район": ["МБОУ СОШ №2", "МОУ Колодезянская СОШ", "МБОУ Никольская СОШ"],
}

# The source's territory lists overlap; shared/data/README.md reconciles them to 60.
CURATOR_SPLITS = {
    "Тацинский район": [("Бочаров С.В.", 1), ("Шашина Н.В.", 1)],
    "Дубовский район": [("Иванова Н.Б.", 1), ("Шашина Н.В.", 2)],
    "Обливский район": [("Горбунько Ю.П.", 1)],
}

# Seed 000, «Отчет по введению кураторства» (Ластовыря's schools, May 2022).
DEMO_LOG = [
    (datetime.date(2022, 5, 6), "review", "", 240,
     "Концептуальные документы проверены, вынесены замечания: МБОУ Первомайская СОШ, "
     "МБОУ Михайловская СОШ, МБОУ Колодезянская СОШ, МБОУ СОШ №2. Срок устранения "
     "замечаний — 13 мая."),
    (datetime.date(2022, 5, 11), "consultation", "", 60,
     "В общем чате курируемых школ — информирование о важных датах, событиях и "
     "мероприятиях проекта."),
    (datetime.date(2022, 5, 13), "consultation", "МБОУ Первомайская СОШ", 90,
     "Индивидуальная консультация по приведению концептуальных документов в корректный вид "
     "по содержанию и структуре."),
    (datetime.date(2022, 5, 16), "webinar", "", 120,
     "Школам направлена презентация «Требования к предоставлению отчетных документов по "
     "подтверждению реализации мероприятий по активированным рисковым профилям»."),
    (datetime.date(2022, 5, 19), "visit", "МБОУ Никольская СОШ", 180,
     "Выезд в школу: проверка отчетных документов по 1 этапу реализации мероприятий "
     "антирисковых программ."),
]
# (school, points by criterion, published, expert's conclusion)
DEMO_SHEETS = [
    ("МБОУ Михайловская СОШ", [2, 2, 2, 1, 2, 2, 1], True,
     "Документы соответствуют методическим рекомендациям; уточнить кадровые ресурсы."),
    ("МБОУ Большекирсановская СОШ", [1, 1, 1, 2, 1, 1, 1], True,
     "Задачи не везде соотнесены с рисками, результаты не измеримы."),
    ("МБОУ Первомайская СОШ", [1, 0, 1, 1, 1, 0, 0], False,
     "Недочеты по 2-му критерию: цели развития не обоснованы анализом."),
]

# Seed 001: the 500+ participants of Каменск-Уральский городской округ.
#: The level and the school's justification of each risk the demo profiles activate: a
#: profile is sent to the curator only with both filled for every activated risk.
DEMO_RISK_REASONS = {
    "R01": ("high", "Нет цифровой лаборатории, кабинеты физики и химии не оснащены."),
    "R04": ("medium", "Доля обучающихся с ОВЗ выше средней по району."),
    "R06": ("high", "Треть обучающихся не справилась с ВПР по математике."),
    "R07": ("medium", "На родительские собрания приходит меньше половины родителей."),
    "R11": ("medium", "Уроки ведутся без заданий разного уровня сложности."),
    "R12": ("high", "В школе нет плана повышения квалификации педагогов."),
}

KAMENSK_SCHOOLS = [
    ("МАОУ «СОШ № 2»", "Средняя общеобразовательная школа № 2", "СОШ"),
    ("МАОУ «СОШ № 7»", "Средняя общеобразовательная школа № 7", "СОШ"),
    ("МБОУ «Основная школа № 14»", "Основная школа № 14", "ООШ"),
    ("МБОУ «ООШ № 27 с интернатом»",
     "Основная общеобразовательная школа № 27 с интернатом", "ООШ"),
    ("МАОУ «СОШ № 32»", "Средняя общеобразовательная школа № 32", "СОШ"),
    ("МАОУ «СОШ № 37»",
     "Средняя общеобразовательная школа № 37 с углублённым изучением отдельных предметов",
     "СОШ"),
    ("МБОУ «ООШ № 39»", "Основная общеобразовательная школа № 39", "ООШ"),
]
KAMENSK_LOGINS = {2: "sch660002", 7: "sch660007", 14: "sch660014", 27: "sch660027",
                  32: "sch660032", 37: "sch660037", 39: "sch660039"}


@dataclass
class DemoReport:
    created: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    accounts: list[tuple[str, str, str]] = field(default_factory=list)

    def count(self, what: str) -> None:
        self.created[what] += 1


DEMO_DIR = Path(__file__).resolve().parent

def read_csv(path: Path, delimiter: str = ",") -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter=delimiter))


def _xlsx(title: str, rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Участники"
    sheet.append([title])
    sheet.append([])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _adjective(municipality: str) -> str:
    """«Дубовский район» → «Дубовская» (for invented school names)."""
    word = municipality.replace("(с)", "").split()[0]
    for ending, feminine in (("ский", "ская"), ("цкий", "цкая"), ("ской", "ская")):
        if word.endswith(ending):
            return word[: -len(ending)] + feminine
    return word


def _invented_names(municipality: str, count: int, taken: list[str]) -> list[tuple[str, str]]:
    names = []
    number = 1
    while len(names) < count:
        if municipality.startswith("г. "):
            short = f"МБОУ СОШ № {number + 3} {municipality}"
        else:
            short = f"МБОУ {_adjective(municipality)} СОШ № {number}"
        if short not in taken:
            names.append((short, short.replace("МБОУ", "Муниципальное бюджетное "
                                                      "общеобразовательное учреждение", 1)))
        number += 1
    return names


class DemoLoader:
    def __init__(self, data_dir: Path, password: str):
        self.data_dir = Path(data_dir)
        self.password = password
        self.report = DemoReport()

    # -- helpers, each idempotent -------------------------------------------------
    def region(self, code: int, name: str) -> Region:
        region = Region.objects.filter(code=code).first()
        if region is None:
            region = region_create(actor=None, code=code, name=name)
            self.report.count("регионов")
        return region

    def municipality(self, region: Region, name: str) -> Municipality:
        found = Municipality.objects.filter(region=region,
                                            name_key=municipality_key(name)).first()
        if found is None:
            found = municipality_create(actor=None, region=region, name=name)
            self.report.count("муниципалитетов")
        return found

    def school(self, municipality: Municipality, login: str, short: str, full: str,
               kind: str = School.Kind.SOSH, *, is_demo: bool, is_rural: bool) -> School:
        found = School.objects.filter(login=login).first()
        if found is None:
            found = school_create(actor=None, municipality=municipality, login=login,
                                  short_name=short, full_name=full, kind=kind,
                                  is_demo=is_demo, is_rural=is_rural)
            self.report.count("школ")
        return found

    def user(self, username: str, last: str, first: str, middle: str = "", *,
             position: str = "", organisation: str = "", email: str = "",
             label: str = "") -> User:
        found = User.objects.filter(username=username).first()
        if found is None:
            found = user_create(actor=None, username=username, password=self.password,
                                last_name=last, first_name=first, middle_name=middle,
                                email=email, position=position, organisation=organisation,
                                validate=False)
            self.report.count("пользователей")
        if label:
            self.report.accounts.append((label, username, self.password))
        return found

    def role(self, user: User, role: str, *, region=None, municipality=None, school=None):
        exists = RoleMembership.objects.filter(
            user=user, role=role, region=(school.region if school else
                                          municipality.region if municipality else region),
            municipality=municipality, school=school, ended_at__isnull=True,
        ).exists()
        if not exists:
            membership_create(actor=None, user=user, role=role, region=region,
                              municipality=municipality, school=school)
            self.report.count("ролей")

    def assign(self, curator: User, school: School, unit: str) -> None:
        exists = CuratorAssignment.objects.filter(curator=curator, school=school, year=YEAR,
                                                  ended_at__isnull=True).exists()
        if not exists:
            assignment_create(actor=None, curator=curator, school=school, terms=AssignmentTerms(
                year=YEAR, order=self.curator_order(school.region),
                organisation=CURATOR_ORGANISATION, unit=unit))
            self.report.count("назначений кураторов")

    def curator_order(self, region: Region) -> CuratorOrder:
        number, date = CURATOR_ORDER
        order = CuratorOrder.objects.filter(region=region, number=number, date=date).first()
        if order is None:
            order = order_create(actor=None, region=region, year=YEAR, number=number,
                                 date=date, title="О закреплении кураторов за школами — "
                                                  "участниками проекта «500+»")
            self.report.count("приказов")
        return order

    # -- the regions ----------------------------------------------------------------
    def load(self) -> DemoReport:
        with transaction.atomic():
            rostov_schools = self.load_rostov()
            self.load_curators(rostov_schools)
            self.load_sverdlovsk()
            self.load_personas(rostov_schools)
            self.load_lists()
            self.load_risk_profiles()
            self.load_documents()
            self.load_curator_work()
            self.load_roadmaps()
            self.load_engagement()
            self.load_methodists_and_training()
        return self.report

    def read(self, name: str) -> list[dict[str, str]]:
        return read_csv(self.data_dir / name)

    def load_methodists_and_training(self) -> None:
        from .training import load_pool, load_training

        rostov = Region.objects.get(code=ROSTOV[0])
        staff = User.objects.get(username="rostov.region")
        load_pool(self, rostov, staff)
        load_training(self, rostov, staff)
        from .contests import load_contests

        load_contests(self, rostov, staff)
        from .cycle import load_frolovo, load_management
        from .pairs import load_pairs

        load_pairs()  # before the values: the share of schools in network pairs reads them
        load_management(self, rostov, staff)
        load_frolovo(self)

    def load_engagement(self) -> None:
        """Seed 000, table 3: the first engagement monitoring of four regions, entered by
        experts over the portal's proposals (Rostov by its regional staff; the three other
        regions, with no schools in the demo, by the administrator)."""
        from decimal import Decimal

        from monitoring.models import EngagementScore
        from monitoring.services import component_confirm, engagement_recompute

        columns = {"plan": "plan_expertise_max6", "documents": "documents_expertise_max5",
                   "curator_work": "curator_work_max3",
                   "one_school": "one_school_curators_share_point",
                   "survey": "first_survey_incomplete_penalty",
                   "sharing": "experience_sharing_bonus", "activation": "activation_share"}
        reason = ("Первый мониторинг вовлеченности (ФИОКО), таблица 3 отчёта "
                  "ГБУ ДПО РО РИПК и ППРО.")
        admin = User.objects.get(username="admin")
        for row in read_csv(self.data_dir / "engagement_monitoring_examples.csv"):
            code = int(row["region_number"])
            region = self.region(code, row["region"])
            if EngagementScore.objects.filter(region=region, year=2022).exists():
                continue  # a second run changes nothing
            expert = (User.objects.get(username="rostov.region") if code == 61 else admin)
            score = engagement_recompute(actor=None, region=region, year=2022)
            for component in score.components.all():
                value = Decimal(row[columns[component.code]].replace(",", "."))
                component_confirm(actor=expert, component=component, value=value,
                                  reason="" if value == component.proposed else reason)
            self.report.count("оценок вовлеченности")

    def load_lists(self) -> None:
        """The 2022 participant lists go through the real import: upload, dry run, apply."""
        admin = User.objects.get(username="admin")
        categories = {row["school"]: row["category"] for row in
                      read_csv(self.data_dir / "curator_risk_matrix_example_2022.csv")}
        for code in (ROSTOV[0], SVERDLOVSK[0]):
            region = Region.objects.get(code=code)
            if ImportBatch.objects.filter(region=region, year=YEAR, status="applied").exists():
                continue
            rows = [["Логин", "Полное наименование", "Краткое наименование", "Муниципалитет",
                     "Категория", "ШНОР"]]
            for school in School.objects.filter(region=region).select_related("municipality"):
                rows.append([school.login, school.full_name, school.short_name,
                             school.municipality.name,
                             categories.get(school.short_name, ""), "да"])
            content = _xlsx(f"Участники проекта «500+», {region.name}, {YEAR}", rows)
            batch, job = import_batch_create(
                actor=admin, region=region, year=YEAR, kind=ImportBatch.Kind.PARTICIPANTS,
                file_name=f"uchastniki-500plus-{code}-{YEAR}.xlsx", content=content)
            job_run(job.pk)
            batch.refresh_from_db()
            if batch.status != ImportBatch.Status.PREVIEWED:
                raise DomainError(f"Демо-список {region.name}: {batch.message or batch.errors}")
            job_run(import_apply_start(actor=admin, batch=batch).pk)
            batch.refresh_from_db()
            if batch.status != ImportBatch.Status.APPLIED:
                raise DomainError(f"Демо-список {region.name} не применён.")
            self.report.count("импортов списков")

    def load_risk_profiles(self) -> None:
        """ФИОКО's catalogue, and the 2022 profiles of Ластовыря's six schools with the
        risks they activated (seed 000, table 2), in the states a real year has: one
        draft (the persona's school), some verified by the curator, some on review."""
        created = catalogue_load(actor=None).created
        if created:
            self.report.created["факторов риска в каталоге"] += created
        staff = User.objects.get(username="rostov.region")
        curator = User.objects.get(username="lastovyrya")
        codes = ("R01", "R07", "R11", "R12", "R04", "R06")
        rows = read_csv(self.data_dir / "curator_risk_matrix_example_2022.csv")
        for number, row in enumerate(rows):
            school = School.objects.get(region__code=ROSTOV[0], short_name=row["school"])
            if RiskProfile.objects.filter(school=school, year=YEAR).exists():
                continue
            profile = profile_create(actor=staff, school=school, year=YEAR)
            profile_update(actor=staff, profile=profile, changes={
                code: ItemChange(activated=True, level=DEMO_RISK_REASONS[code][0],
                                 justification=DEMO_RISK_REASONS[code][1])
                for code in codes if row[code].strip() == "+"})
            self.report.count("риск-профилей")
            if number == 0:
                continue  # the school coordinator persona fills its own profile
            profile_transition(actor=staff, profile=profile, action="submit")
            if number in (1, 2, 4):
                profile_transition(actor=curator, profile=profile, action="verify")

    def load_documents(self) -> None:
        """The 2022 document kinds, and documents of two of Ластовыря's schools in the
        states of a real review: a concept approved, a medium-term programme returned with
        seed 001's reasons, an anti-risk programme waiting in the curator's queue. The
        persona's own school (Первомайская) starts with an empty checklist."""
        if kinds_load(actor=None, year=YEAR):
            self.report.count("видов документов на год")
        curator = User.objects.get(username="lastovyrya")
        kinds = {k.code: k for k in DocumentKind.objects.filter(year=YEAR)}
        for short, login_user, (last, first, middle) in (
                ("МБОУ Михайловская СОШ", "mikhaylovskaya.school", ("Дорошенко", "Ольга",
                                                                    "Петровна")),
                ("МБОУ Большекирсановская СОШ", "bkirsanovskaya.school", ("Гречко", "Наталья",
                                                                          "Ивановна"))):
            school = School.objects.get(region__code=ROSTOV[0], short_name=short)
            if Document.objects.filter(school=school, year=YEAR).exists():
                continue
            coordinator = self.user(login_user, last, first, middle,
                                    email=f"{login_user}@example.org",
                                    position="заместитель директора")
            self.role(coordinator, Role.SCHOOL_COORDINATOR, school=school)
            concept = self._upload(coordinator, school, kinds["concept"], [
                f"Концепция развития {short} на 2022–2024 годы",
                "1. Анализ текущего состояния: кадровый состав, образовательные результаты, "
                "контингент, материально-техническое оснащение.",
                "2. Ключевые риски и причины их возникновения.",
                "3. Цели и задачи развития, соотнесённые с рисковым профилем."])
            document_transition(actor=curator, document=concept.document, action="approve",
                                version_number=1, comment="Концепция соответствует "
                                                          "методическим рекомендациям.")
            midterm = self._upload(coordinator, school, kinds["midterm"], [
                f"Среднесрочная программа развития {short} на 2022 год",
                "Задача 1. Повысить оснащённость кабинетов.",
                "Мероприятие: закупка оборудования. Ответственный: директор."])
            document_transition(
                actor=curator, document=midterm.document, action="return", version_number=1,
                reasons=ReturnReason.objects.filter(code__in=("measurable", "admin_only")),
                comment="Укажите измеримый результат каждого мероприятия (в процентах, "
                        "долях) и привлеките к исполнению педагогов, а не только "
                        "администрацию.")
            risk = (RiskProfile.objects.get(school=school, year=YEAR).items
                    .filter(activated=True).select_related("factor").first())
            if risk is not None:
                self._upload(coordinator, school, kinds["risk_program"], [
                    f"Антирисковая программа «{risk.factor.title}»",
                    "Причины риска, цель, задачи, меры и измеримые результаты."],
                    risk=risk.factor)
            self.report.count("школ с документами")

    def load_curator_work(self) -> None:
        """Ластовыря's work log of May 2022 (seed 000, «Отчет по введению кураторства») and
        the expertise sheets of three of its schools: green, yellow and a red draft."""
        scheme = scheme_load(actor=None, year=YEAR)
        curator = User.objects.get(username="lastovyrya")
        schools = {s.short_name: s for s in School.objects.filter(
            region__code=ROSTOV[0], curator_assignments__curator=curator)}
        if not WorkLogEntry.objects.filter(curator=curator).exists():
            region = Region.objects.get(code=ROSTOV[0])
            for date, kind, short, minutes, text in DEMO_LOG:
                worklog_add(actor=curator, region=region, data=LogInput(
                    date=date, kind=kind, minutes=minutes, text=text,
                    school=schools[short] if short else None))
                self.report.count("записей журнала куратора")
        criteria = list(scheme.criteria.all())
        for short, points, publish, comment in DEMO_SHEETS:
            school = schools[short]
            if ExpertiseSheet.objects.filter(school=school, year=YEAR).exists():
                continue
            sheet_save(actor=curator, school=school, year=YEAR,
                       scores={c.pk: (p, "") for c, p in zip(criteria, points, strict=True)},
                       comment=comment, publish=publish)
            self.report.count("экспертных листов")

    def _import_roadmap(self, actor, region, path: Path, params: dict) -> Roadmap:
        """A roadmap through the real import: upload, dry run, apply."""
        batch, job = import_batch_create(
            actor=actor, region=region, year=params["start_year"],
            kind=ImportBatch.Kind.ROADMAP, file_name=path.name, content=path.read_bytes(),
            params=params)
        job_run(job.pk)
        batch.refresh_from_db()
        job_run(import_apply_start(actor=actor, batch=batch).pk)
        batch.refresh_from_db()
        if batch.status != ImportBatch.Status.APPLIED:
            raise DomainError(f"Дорожная карта «{path.name}» не загрузилась: "
                              f"{batch.get_status_display()}.")
        self.report.count("дорожных карт")
        return Roadmap.objects.get(public_id=batch.diff["roadmap"])

    def load_roadmaps(self) -> None:
        """Seed 003's regional roadmap of Rostov (50 measures) and seed 001's municipal
        roadmap of Каменск-Уральский (49 measures, marked done as its notes report), both
        through the import; Rostov's 2022 plan-schedule; Михайловская СОШ's roadmap with a
        confirmed, a waiting and an overdue measure."""
        rostov = Region.objects.get(code=ROSTOV[0])
        staff = User.objects.get(username="rostov.region")
        if not Roadmap.objects.filter(region=rostov, level=Roadmap.Level.REGION).exists():
            self._import_roadmap(staff, rostov, self.data_dir / "rostov_roadmap_2020_2023.tsv", {
                "level": Roadmap.Level.REGION, "start_year": 2020, "end_year": 2023,
                "title": "Комплекс мер поддержки ШНОР и ШССУ Ростовской области на "
                         "2020–2023 годы"})
        sverdlovsk = Region.objects.get(code=SVERDLOVSK[0])
        kamensk = Municipality.objects.get(region=sverdlovsk, name_key=municipality_key(KAMENSK))
        if not Roadmap.objects.filter(municipality=kamensk,
                                      level=Roadmap.Level.MUNICIPALITY).exists():
            sv_staff = User.objects.get(username="sverdlovsk.region")
            self._import_roadmap(
                sv_staff, sverdlovsk, DEMO_DIR / "data" / "kamensk_uralsky_roadmap_2021.tsv", {
                    "level": Roadmap.Level.MUNICIPALITY, "start_year": 2021, "end_year": 2021,
                    "municipality": str(kamensk.public_id),
                    "title": "План мероприятий Каменск-Уральского городского округа по "
                             "поддержке школ с низкими результатами, 2021"})
            # the import itself marks done the measures its completion column reports
        stages = [("Риск-профили верифицированы кураторами", datetime.date(2022, 3, 31),
                   PlanStage.Rule.RISK_PROFILE, ""),
                  ("Концепции развития подтверждены", datetime.date(2022, 4, 30),
                   PlanStage.Rule.DOCUMENTS, "concept"),
                  ("Среднесрочные программы подтверждены", datetime.date(2022, 5, 31),
                   PlanStage.Rule.DOCUMENTS, "midterm"),
                  ("Мероприятия первого полугодия выполнены", datetime.date(2022, 6, 30),
                   PlanStage.Rule.MEASURES, "")]
        if not PlanStage.objects.filter(region=rostov, year=YEAR).exists():
            for position, (title, due_on, rule, code) in enumerate(stages, start=1):
                stage_save(actor=staff, region=rostov, year=YEAR, data=StageInput(
                    title=title, due_on=due_on, rule=rule, kind_code=code, position=position))
                self.report.count("этапов план-графика")
        school = School.objects.get(region=rostov, short_name="МБОУ Михайловская СОШ")
        if Roadmap.objects.filter(school=school, start_year=YEAR).exists():
            return
        coordinator = User.objects.get(username="mikhaylovskaya.school")
        curator = User.objects.get(username="lastovyrya")
        roadmap = school_roadmap_start(actor=coordinator, school=school, year=YEAR)
        risks = activated_risks(school, YEAR)
        stage = PlanStage.objects.get(region=rostov, year=YEAR, rule=PlanStage.Rule.MEASURES)
        measures = [
            ("1", "Педагогический совет «Причины и пути преодоления неуспеваемости»",
             "март 2022", "Заместитель директора по УВР",
             "Определены причины неуспеваемости; решения педсовета"),
            ("2", "Индивидуальные планы работы с обучающимися, имеющими риски учебной "
                  "неуспешности", "01.04.2022 - 12.04.2022", "Классные руководители",
             "Планы составлены для 100% обучающихся группы риска"),
            ("3", "Курсы повышения квалификации учителей математики по формированию "
                  "функциональной грамотности", "сентябрь - октябрь 2022",
             "Директор", "Не менее 80% учителей математики прошли обучение"),
        ]
        items = []
        for number, activity, deadline, responsible, result in measures:
            items.append(item_add(actor=coordinator, roadmap=roadmap, data=ItemInput(
                number=number, activity=activity, deadline_text=deadline,
                responsible=responsible, expected_result=result,
                risk_factor=risks[0] if risks else None, stage=stage)))
        for item, when in ((items[0], datetime.date(2022, 3, 28)),
                           (items[1], datetime.date(2022, 4, 15))):
            item_complete(actor=coordinator, item=item, done_on=when,
                          note="Протокол и материалы приложены.",
                          upload=self._docx_upload([f"Протокол: {item.activity}",
                                                    "Решение принято единогласно."],
                                                   f"Протокол {item.number}.docx"))
        item = RoadmapItem.objects.get(pk=items[0].pk)
        document_transition(actor=curator, document=item.evidence, action="approve",
                            version_number=1, comment="Подтверждаю: протокол приложен.")
        self.report.count("мероприятий школ")

    def _docx_upload(self, paragraphs, name):
        import docx

        document = docx.Document()
        for text in paragraphs:
            document.add_paragraph(text)
        out = io.BytesIO()
        document.save(out)
        out.seek(0)
        return upload_check(out, name, len(out.getvalue()))

    def _upload(self, actor, school, kind, paragraphs, risk=None):
        upload = self._docx_upload(paragraphs, f"{kind.title} — {school.short_name}.docx")
        return document_upload(actor=actor, school=school, year=YEAR, upload=upload,
                               slot=Slot(kind=kind, risk=risk))

    def load_rostov(self) -> dict[str, list[School]]:
        rows = read_csv(self.data_dir / "rostov_2022_districts.csv")
        region = self.region(*ROSTOV)
        by_municipality: dict[str, list[School]] = {}
        for index, row in enumerate(rows, start=1):
            name = row["municipality"].strip()
            count = int(row["shnor_in_500plus_2022"])
            municipality = self.municipality(region, name)
            real = REAL_ROSTOV_SCHOOLS.get(name, [])[:count]
            names = [(n, n) for n in real] + _invented_names(name, count - len(real), real)
            schools = []
            for number, (short, full) in enumerate(names, start=1):
                login = f"sch{ROSTOV[0]:02d}{index:02d}{number:02d}"
                schools.append(self.school(
                    municipality, login, short, full, is_demo=short not in real,
                    is_rural=not name.startswith("г. "),
                ))
            by_municipality[name] = schools
        return by_municipality

    def load_curators(self, schools: dict[str, list[School]]) -> None:
        rows = read_csv(self.data_dir / "rostov_curators_2022.tsv", delimiter="\t")
        region = Region.objects.get(code=ROSTOV[0])
        claims: dict[str, list[str]] = defaultdict(list)
        curators: dict[str, tuple[User, dict]] = {}
        for row in rows:
            label = row["curator"].strip()
            last, initials = label.split(" ", 1)
            first, middle = (f"{part}." for part in initials.strip(".").split(".")[:2])
            user = self.user(
                transliterate(last), last, first, middle, position=row["position"].strip(),
                organisation=CURATOR_ORGANISATION,
            )
            self.role(user, Role.CURATOR, region=region)
            curators[label] = (user, row)
            for territory in row["territories"].split(";"):
                claims[name_key(territory)].append(label)
        planned: dict[str, int] = defaultdict(int)
        plan: list[tuple[str, School]] = []
        for name, municipality_schools in schools.items():
            split = CURATOR_SPLITS.get(name)
            if split is None:
                claimants = claims.get(name_key(name), [])
                if len(claimants) != 1:
                    raise DomainError(f"Муниципалитет «{name}»: кураторов {len(claimants)}, "
                                      "а правило распределения не задано.")
                split = [(claimants[0], len(municipality_schools))]
            remaining = list(municipality_schools)
            for label, count in split:
                for school in remaining[:count]:
                    plan.append((label, school))
                    planned[label] += 1
                remaining = remaining[count:]
        for label, (_, row) in curators.items():
            if planned[label] != int(row["schools"]):
                raise DomainError(f"Куратор {label}: по распределению "
                                  f"{count_phrase(planned[label], 'школа')}, "
                                  f"в приказе {row['schools']}.")
        for label, school in plan:
            user, row = curators[label]
            self.assign(user, school, row["unit"].strip())

    def load_sverdlovsk(self) -> None:
        region = self.region(*SVERDLOVSK)
        municipality = self.municipality(region, KAMENSK)
        for short, full, kind in KAMENSK_SCHOOLS:
            number = int(short.split("№ ")[1].split()[0].rstrip("»"))
            self.school(municipality, KAMENSK_LOGINS[number], short, full, kind,
                        is_demo=False, is_rural=False)

    def load_personas(self, rostov_schools: dict[str, list[School]]) -> None:
        rostov = Region.objects.get(code=ROSTOV[0])
        sverdlovsk = Region.objects.get(code=SVERDLOVSK[0])
        admin = self.user("admin", "Админова", "Светлана", "Николаевна",
                          position="администратор портала", label="администратор")
        self.role(admin, Role.ADMINISTRATOR)
        observer = self.user("observer", "Наблюдателев", "Фёдор", "Игоревич",
                             position="аналитик", organisation="ФИОКО",
                             label="федеральный наблюдатель")
        self.role(observer, Role.FEDERAL_OBSERVER)
        staff = self.user("rostov.region", "Демина", "Ольга", "Петровна",
                          position="региональный координатор", organisation=CURATOR_ORGANISATION,
                          label="региональный координатор (Ростовская обл.)")
        self.role(staff, Role.REGIONAL_STAFF, region=rostov)
        shakhty = Municipality.objects.get(region=rostov, name_key=municipality_key("г. Шахты"))
        mun = self.user("shakhty.mun", "Муниципалова", "Анна", "Сергеевна",
                        position="муниципальный координатор",
                        organisation="Управление образования г. Шахты",
                        label="муниципальный координатор (г. Шахты)")
        self.role(mun, Role.MUNICIPAL_COORDINATOR, municipality=shakhty)
        curator = User.objects.get(username="lastovyrya")
        self.report.accounts.append(("куратор (Ластовыря Л.Ф., 6 школ)", curator.username,
                                     self.password))
        school = rostov_schools["Красносулинский район"][0]
        coordinator = self.user("pervomayskaya.school", "Школьникова", "Марина", "Викторовна",
                                position="заместитель директора по УВР",
                                organisation=school.short_name,
                                label=f"школьный координатор ({school.short_name})")
        self.role(coordinator, Role.SCHOOL_COORDINATOR, school=school)
        methodist = self.user("rostov.methodist", "Методистова", "Елена", "Андреевна",
                              position="учитель математики", organisation="МБОУ СОШ № 4 г. Шахты",
                              label="методист РМА (Ростовская обл.)")
        self.role(methodist, Role.METHODIST, region=rostov)
        s_staff = self.user("sverdlovsk.region", "Уральцева", "Наталья", "Олеговна",
                            position="региональный координатор", organisation="ГАОУ ДПО СО «ИРО»",
                            label="региональный координатор (Свердловская обл.)")
        self.role(s_staff, Role.REGIONAL_STAFF, region=sverdlovsk)
        ku_school = School.objects.get(login=KAMENSK_LOGINS[27])
        s_coord = self.user("ku.school27", "Каменская", "Ирина", "Юрьевна",
                            position="заместитель директора по УВР",
                            organisation=ku_school.short_name,
                            label=f"школьный координатор ({ku_school.short_name}, "
                                  "Каменск-Уральский)")
        self.role(s_coord, Role.SCHOOL_COORDINATOR, school=ku_school)
