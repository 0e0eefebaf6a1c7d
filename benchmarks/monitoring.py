"""The monitoring dashboard on federal-size data: 89 regions, ~2,500 municipalities,
40,000 schools and five programme years, bulk-created (not imported); a third of the
schools take part each year, with risk profiles (2022 and 2023) and, for 2023, curators,
documents, versions, reviews, school roadmaps and work logs.

A regional staff user of one region (450 schools) is the client. Printed: the dashboard
and the school list as ratios to a trivial signed-in page of the same user, the dashboard's
query count when its region has 10 schools (and the database little else) against the
count once the database holds all 40,000, and the region's PDF report against WeasyPrint
alone on the same HTML. The data is committed into the throw-away database (and vacuumed,
as a live database is), so this runs last.
"""

from __future__ import annotations

import datetime
import os
import random
import time
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from .harness import Case, measure

YEARS = range(2019, 2024)
YEAR = 2023
#: Years whose participants get risk profiles (the dashboard compares a year with the last).
WORK_YEARS = (YEAR - 1, YEAR)
HOME_CODE = 1  # the client's region: 450 schools of 40,000
SMALL = 10  # schools of the client's region in the first (small) phase
FIRST_NUMBER = 5000  # logins sch{code}{5000+i}: clear of the demo's schools
CURATORS_PER_REGION = 8
TODAY = datetime.date(YEAR, 11, 15)
BATCH = 5000


@dataclass
class World:
    loader: object
    regions: list = field(default_factory=list)  # (Region, [Municipality], schools wanted)
    curators: dict = field(default_factory=dict)  # region pk → [User]
    factors: dict = field(default_factory=dict)  # year → [RiskFactor]
    kinds: dict = field(default_factory=dict)  # year → {"single": [...], "per_risk": kind}
    counts: dict = field(default_factory=dict)  # model name → rows created


def _bulk(world: World, model, rows: list) -> list:
    model.objects.bulk_create(rows, batch_size=BATCH)
    world.counts[model.__name__] = world.counts.get(model.__name__, 0) + len(rows)
    return rows


# -- reference data ---------------------------------------------------------------------------
def _catalogues(world: World) -> None:
    from risk_profiles.models import RiskFactor
    from risk_profiles.services import catalogue_load
    from roadmaps.models import DocumentKind
    from roadmaps.services import kinds_load

    catalogue_load(actor=None)
    if not RiskFactor.objects.filter(year=YEAR).exists():  # ФИОКО's 2022 list again in 2023
        RiskFactor.objects.bulk_create([
            RiskFactor(year=YEAR, code=f.code, title=f.title, position=f.position)
            for f in RiskFactor.objects.filter(year=YEAR - 1)])
    for year in WORK_YEARS:
        kinds_load(actor=None, year=year)
        world.factors[year] = list(RiskFactor.objects.filter(year=year).order_by("position"))
        kinds = DocumentKind.objects.filter(year=year, required=True)
        world.kinds[year] = {
            "single": list(kinds.filter(mode=DocumentKind.Mode.SINGLE).order_by("position")),
            "per_risk": kinds.filter(mode=DocumentKind.Mode.PER_RISK).first()}


def _regions(world: World) -> None:
    """89 regions (existing rows reused by code: the demo's, the import's) and their
    municipalities (missing names added), 40,000 schools spread as the federal list."""
    from core.models import Municipality, Region
    from core.text import clean_spaces, municipality_key
    from schools.models import IndexThresholds
    from schools.synthetic import FEDERAL, reference

    per_region, extra = divmod(FEDERAL["schools"], FEDERAL["regions"])
    existing = {r.code: r for r in Region.objects.all()}
    new = [Region(code=r.code, name=r.name) for r in
           reference(FEDERAL["regions"], FEDERAL["municipalities"]) if r.code not in existing]
    _bulk(world, Region, new)
    regions = {r.code: r for r in Region.objects.all()}
    known = {(m.region_id, m.name_key) for m in Municipality.objects.all()}
    add = []
    for ref in reference(FEDERAL["regions"], FEDERAL["municipalities"]):
        region = regions[ref.code]
        for name in ref.municipalities:
            name = clean_spaces(name)
            key = municipality_key(name)
            if (region.pk, key) not in known:
                known.add((region.pk, key))
                add.append(Municipality(region=region, name=name, name_key=key))
    _bulk(world, Municipality, add)
    names_of = {r.code: {municipality_key(n) for n in r.municipalities}
                for r in reference(FEDERAL["regions"], FEDERAL["municipalities"])}
    by_region: dict[int, list] = {}
    for m in Municipality.objects.order_by("pk"):
        by_region.setdefault(m.region_id, []).append(m)
    thresholds = []
    have = set(IndexThresholds.objects.values_list("region_id", "year"))
    for index, code in enumerate(sorted(names_of)):
        region = regions[code]
        munis = [m for m in by_region[region.pk] if m.name_key in names_of[code]]
        world.regions.append((region, munis, per_region + (1 if index < extra else 0)))
        thresholds += [IndexThresholds(region=region, year=y, ior_min=Decimal("0.500"),
                                       isb_min=Decimal("0.550"))
                       for y in YEARS if (region.pk, y) not in have]
    _bulk(world, IndexThresholds, thresholds)


def _people(world: World):
    """The loader (creates documents and plans), the client (regional staff of the home
    region) and eight curators per region with their curator role."""
    from core.models import RoleMembership, User
    from core.roles import Role
    from core.services import membership_create, user_create

    world.loader = user_create(actor=None, username="bench-monitoring-loader", password=None,
                               last_name="Загрузчиков", first_name="Бенч")
    home = next(r for r, _, _ in world.regions if r.code == HOME_CODE)
    staff = user_create(actor=None, username="bench-monitoring-staff", password=None,
                        last_name="Региональный", first_name="Координатор")
    membership_create(actor=None, user=staff, role=Role.REGIONAL_STAFF, region=home)
    users, memberships = [], []
    for region, _, _ in world.regions:
        for i in range(CURATORS_PER_REGION):
            user = User(username=f"bench-cur-{region.code:02d}-{i}", last_name=f"Куратор{i}",
                        first_name="Регион", middle_name=f"{region.code:02d}",
                        password="!unusable")  # noqa: S106
            users.append(user)
            memberships.append(RoleMembership(user=user, role=Role.CURATOR, region=region))
    _bulk(world, User, users)
    _bulk(world, RoleMembership, memberships)
    for membership in memberships:
        world.curators.setdefault(membership.region_id, []).append(membership.user)
    return staff, home


# -- per-school data --------------------------------------------------------------------------
def _at(year: int, rnd: random.Random) -> datetime.datetime:
    day = datetime.date(year, 3, 1) + datetime.timedelta(days=rnd.randrange(230))
    return datetime.datetime.combine(day, datetime.time(10), tzinfo=datetime.UTC)


def _populate(world: World, region, munis, numbers: range) -> None:
    """Schools ``numbers`` of ``region`` with five school-years each; risk profiles of the
    participants of 2022 and 2023 (the dashboard compares the two); for the participants of
    2023 a lead curator, the required documents (versions and reviews as their state
    needs), a school roadmap and work-log entries of the curator."""
    from curators.models import CuratorAssignment, WorkLogEntry
    from risk_profiles.models import Level, RiskProfile, RiskProfileItem
    from roadmaps.models import Document, DocumentVersion, Review, Roadmap, RoadmapItem
    from schools.models import School, SchoolYear
    from schools.synthetic import CATEGORIES, KINDS

    rnd = random.Random(region.code * 100_000 + numbers.start)
    code, rid, loader = region.code, region.pk, world.loader.pk
    schools = []
    for s in numbers:
        municipality = munis[s % len(munis)]
        short_kind, long_kind = KINDS[s % len(KINDS)]
        schools.append(School(
            region_id=rid, municipality_id=municipality.pk,
            login=f"sch{code:02d}{FIRST_NUMBER + s}",
            inn=f"{code:02d}{rnd.randrange(10**7, 10**8)}",
            full_name=f"Муниципальное бюджетное общеобразовательное учреждение «{long_kind} "
                      f"№ {s + 1}»",
            short_name=f"МБОУ {short_kind} № {s + 1}",
            address=f"{municipality.name}, ул. Школьная, д. {s % 40 + 1}",
            kind=short_kind, is_rural="район" in municipality.name))
    _bulk(world, School, schools)
    years, participants = [], {y: [] for y in WORK_YEARS}
    for s, school in zip(numbers, schools, strict=True):
        for y in YEARS:
            member = (s + y) % 3 == 0  # a third of the list takes part each year
            years.append(SchoolYear(
                region_id=rid, school_id=school.pk, year=y, is_shnor=s % 10 != 7,
                is_shssu=s % 4 == 0, is_participant=member,
                category=CATEGORIES[(s + y) % len(CATEGORIES)],
                ior=Decimal(rnd.randrange(200, 900)) / 1000,
                isb=Decimal(rnd.randrange(200, 900)) / 1000))
            if member and y in participants:
                participants[y].append(school)
    _bulk(world, SchoolYear, years)

    # risk profiles: every factor of the year's catalogue, one to three activated
    profiles, chosen = [], []
    for y, members in participants.items():
        for school in members:
            state = rnd.random()
            status = (RiskProfile.Status.VERIFIED if state < 0.6 else
                      RiskProfile.Status.SUBMITTED if state < 0.8 else RiskProfile.Status.DRAFT)
            profiles.append(RiskProfile(region_id=rid, school_id=school.pk, year=y,
                                        status=status))
            chosen.append(set(rnd.sample(range(len(world.factors[y])), rnd.randint(1, 3))))
    _bulk(world, RiskProfile, profiles)
    items, activated = [], {}
    others = [Level.MEDIUM, Level.LOW, Level.NONE]
    for profile, high in zip(profiles, chosen, strict=True):
        factors = world.factors[profile.year]
        activated[(profile.school_id, profile.year)] = [factors[k] for k in sorted(high)]
        for k, factor in enumerate(factors):
            items.append(RiskProfileItem(
                region_id=rid, profile_id=profile.pk, factor_id=factor.pk,
                value=Decimal(rnd.randrange(0, 10000)) / 10000,
                level=Level.HIGH if k in high else others[(k + profile.pk) % 3],
                activated=k in high, justification="Работаем над риском" if k in high else ""))
    _bulk(world, RiskProfileItem, items)

    # the year's work: curators, their log, documents, school roadmaps
    curators = world.curators[rid]
    kinds = world.kinds[YEAR]
    per_risk = kinds["per_risk"]
    assignments, logs, documents, plans = [], [], [], []
    for i, school in enumerate(participants[YEAR]):
        curator = curators[i % len(curators)].pk
        assignments.append(CuratorAssignment(
            region_id=rid, curator_id=curator, school_id=school.pk, year=YEAR,
            organisation="ИРО", starts_on=datetime.date(YEAR, 2, 1)))
        for n in range(2):
            logs.append(WorkLogEntry(
                region_id=rid, curator_id=curator, school_id=school.pk if n else None,
                date=datetime.date(YEAR, 2 + n * 4, 1 + i % 27),
                kind=WorkLogEntry.Kind.CONSULTATION if n else WorkLogEntry.Kind.WEBINAR,
                minutes=60, text="Консультация по документам школы"))
        slots = [(k.pk, None, k.code) for k in kinds["single"]]
        slots += [(per_risk.pk, f.pk, f"{per_risk.code}:{f.code}")
                  for f in activated[(school.pk, YEAR)]]
        for kind, factor, slot in slots:
            state = rnd.random()
            if state < 0.1:
                continue  # not uploaded yet
            status = (Document.Status.DRAFT if state < 0.2 else
                      Document.Status.SUBMITTED if state < 0.4 else
                      Document.Status.RETURNED if state < 0.55 else Document.Status.APPROVED)
            submitted = None if status == Document.Status.DRAFT else _at(YEAR, rnd)
            decided = status in (Document.Status.RETURNED, Document.Status.APPROVED)
            wait = datetime.timedelta(days=rnd.randint(1, 20), hours=rnd.randrange(24))
            documents.append(Document(
                region_id=rid, school_id=school.pk, year=YEAR, kind_id=kind,
                risk_factor_id=factor, slot=slot, status=status, created_by_id=loader,
                version_count=1, submitted_at=submitted,
                reviewed_at=submitted + wait if decided else None,
                reviewed_by_id=curator if decided else None))
        plans.append(Roadmap(
            region_id=rid, level=Roadmap.Level.SCHOOL, municipality_id=school.municipality_id,
            school_id=school.pk, title=f"Дорожная карта {school.short_name}",
            start_year=YEAR, end_year=YEAR, created_by_id=loader))
    _bulk(world, CuratorAssignment, assignments)
    _bulk(world, WorkLogEntry, logs)
    _bulk(world, Document, documents)
    versions = _bulk(world, DocumentVersion, [DocumentVersion(
        region_id=rid, document_id=d.pk, number=1,
        file=f"documents/{rid}/{d.public_id}/{uuid.uuid4()}.pdf",
        original_name="документ.pdf", extension="pdf", sha256=uuid.uuid4().hex * 2,
        size=150_000, uploaded_by_id=loader, submitted_at=d.submitted_at)
        for d in documents])
    _bulk(world, Review, [Review(
        region_id=rid, version_id=v.pk, reviewer_id=d.reviewed_by_id,
        decision=(Review.Decision.APPROVED if d.status == Document.Status.APPROVED
                  else Review.Decision.RETURNED),
        decided_at=d.reviewed_at, waited=d.reviewed_at - d.submitted_at)
        for d, v in zip(documents, versions, strict=True) if d.reviewed_at is not None])
    _bulk(world, Roadmap, plans)
    measures = []
    for plan in plans:
        for n in range(4):
            due = datetime.date(YEAR, 2 + n * 3, 28)
            measures.append(RoadmapItem(
                region_id=rid, roadmap_id=plan.pk, number=f"{n + 1}", position=n,
                activity=f"Мероприятие {n + 1} по снижению рисков", deadline_text=f"{due:%m.%Y}",
                due_start=due.replace(day=1), due_end=due, created_by_id=loader,
                done_on=due if rnd.random() < 0.4 else None))
    _bulk(world, RoadmapItem, measures)


def _region_plans(world: World, region, munis) -> None:
    """The region's roadmap 2023–2025 and one municipality's, with measures."""
    from roadmaps.models import Roadmap, RoadmapItem

    plans = _bulk(world, Roadmap, [
        Roadmap(region=region, level=Roadmap.Level.REGION, title="Региональная дорожная карта",
                start_year=YEAR, end_year=YEAR + 2, created_by=world.loader),
        Roadmap(region=region, level=Roadmap.Level.MUNICIPALITY, municipality=munis[0],
                title=f"Дорожная карта: {munis[0].name}", start_year=YEAR, end_year=YEAR + 2,
                created_by=world.loader)])
    _bulk(world, RoadmapItem, [
        RoadmapItem(region=region, roadmap=plan, number=str(n + 1), position=n,
                    activity=f"Мероприятие {n + 1}", due_end=datetime.date(YEAR, 1 + n % 12, 20),
                    done_on=datetime.date(YEAR, 1, 10) if n % 3 == 0 else None,
                    created_by=world.loader)
        for plan in plans for n in range(20)])


def _loading() -> None:
    """Inside a loading transaction: skip the foreign-key triggers when the role may (the
    rows are consistent by construction; checking 800,000 of them at commit would double
    the load). Everything else — unique constraints, checks — still applies."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if cursor.fetchone()[0]:
            cursor.execute("SET LOCAL session_replication_role = replica")


def _vacuum() -> None:
    """Statistics and visibility maps as autovacuum keeps them on a live database (without
    them the planner prices index-only scans as heap reads and picks other plans)."""
    tables = ["core_region", "core_municipality", "core_user", "core_rolemembership",
              "schools_school", "schools_schoolyear", "schools_indexthresholds",
              "risk_profiles_riskprofile", "risk_profiles_riskprofileitem",
              "risk_profiles_riskfactor", "curators_curatorassignment",
              "curators_worklogentry", "roadmaps_document", "roadmaps_documentversion",
              "roadmaps_review", "roadmaps_roadmap", "roadmaps_roadmapitem",
              "monitoring_engagementscore", "monitoring_engagementcomponent"]
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {', '.join(tables)}")


def _engagement(home) -> None:
    from monitoring.services import engagement_recompute

    engagement_recompute(actor=None, region=home, year=YEAR, day=TODAY)


# -- measurements -----------------------------------------------------------------------------
DASHBOARD = f"/monitoring/?year={YEAR}"
SCHOOLS = "/schools/"
TRIVIAL = "/profile/password/"


def _get(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)


def _changed() -> None:
    """What a committed write does to the computed dashboards (monitoring.boards): the next
    view computes its board afresh. The bench's rows are bulk-created without the services'
    audit entries, so it says so itself."""
    from core.audit import data_changed

    data_changed.send(None, region_id=None)


def _queries(client: Client, url: str) -> int:
    _get(client, url)  # warm: sessions, content types, template caches
    _changed()  # count the board computed, not the one kept in the cache
    with CaptureQueriesContext(connection) as queries:
        _get(client, url)
    return len(queries)


def _pdf(staff):
    """``run_dashboard_pdf`` itself on an unsaved job of the user's region."""
    from core.models import Job
    from monitoring.reports import run_dashboard_pdf

    job = Job(kind="monitoring.dashboard_pdf", created_by=staff,
              params={"filters": {"year": str(YEAR)}})
    return run_dashboard_pdf(job, lambda done, total: None)


def _pdf_html(staff) -> str:
    from django.template.loader import render_to_string

    from monitoring.reports import print_context
    from monitoring.selectors import dashboard, filters_from

    board = dashboard(staff, filters_from(staff, {"year": str(YEAR)}))
    assert board.schools > 0 and board.totals.due > 0, "the dashboard found no work"
    return render_to_string("monitoring/pdf/dashboard.html", print_context(board))


def _profile(client: Client, url: str) -> None:
    import cProfile
    import pstats

    _changed()  # the board computed, not the one kept
    with CaptureQueriesContext(connection) as queries:
        profile = cProfile.Profile()
        profile.enable()
        _get(client, url)
        profile.disable()
    pstats.Stats(profile).sort_stats("cumulative").print_stats(35)
    for q in sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:12]:
        print(f"{float(q['time']) * 1000:7.1f} ms  {q['sql'][:300]}")


def _ratio(name: str, run: float, base: float, baseline: str, unit: str = "ms") -> None:
    scale, fmt = (1000, ".0f") if unit == "ms" else (1, ".2f")
    print(f"{name:<58} {run / base:>7.2f}×  {baseline}  "
          f"[{run * scale:{fmt}} vs {base * scale:{fmt}} {unit}]")


def _count(name: str, count: int, note: str = "") -> None:
    print(f"queries: {name:<49} {count:>8}{note}")


def run() -> None:
    """Needs the throw-away database: the data is committed (so that it can be vacuumed
    like a live database) and goes with the database — run it after the other cases."""
    from weasyprint import HTML

    from schools.models import School

    started = time.perf_counter()
    world = World(loader=None)
    with transaction.atomic():
        _catalogues(world)
        _regions(world)
        staff, home = _people(world)
        for region, munis, _ in world.regions:
            _region_plans(world, region, munis)
    home_munis = next(m for r, m, _ in world.regions if r == home)

    # phase 1: the client's region has 10 schools, the database little else
    with transaction.atomic():
        _loading()
        _populate(world, home, home_munis, range(SMALL))
        _engagement(home)
    _vacuum()
    client = Client()
    client.force_login(staff)
    small = {url: _queries(client, url) for url in (DASHBOARD, SCHOOLS)}
    with CaptureQueriesContext(connection) as q:
        _pdf(staff)
    small["pdf"] = len(q)
    small_schools = School.objects.count()

    # phase 2: the federal list — the region's other 440 schools and 88 more regions
    build = time.perf_counter()
    for region, munis, wanted in world.regions:
        with transaction.atomic():
            _loading()
            _populate(world, region, munis, range(SMALL if region == home else 0, wanted))
    _engagement(home)
    build, vacuum = time.perf_counter() - build, time.perf_counter()
    _vacuum()
    vacuum = time.perf_counter() - vacuum
    total = School.objects.count()
    schools = School.objects.filter(region=home).count()
    print(f"monitoring data: {total:,} schools ({schools} in the client's region), "
          f"{sum(world.counts.values()):,} rows bulk-created in {build:.0f} s, vacuumed in "
          f"{vacuum:.0f} s")
    print(f"{'case':<58} {'ratio':>8}  baseline")

    def trivial(ctx):
        _get(client, TRIVIAL)

    _changed()
    _get(client, DASHBOARD)  # the board is computed once for the data as it is now
    run_, base = measure(Case("dashboard", dict, lambda c: _get(client, DASHBOARD),
                              "trivial page", trivial))
    _ratio(f"monitoring dashboard {YEAR}, regional staff ({schools} schools)", run_, base,
           "trivial page (goal ≤ 3×)")

    def after_a_write(ctx):
        _changed()
        _get(client, DASHBOARD)

    run_, base = measure(Case("dashboard-cold", dict, after_a_write, "trivial page", trivial))
    _ratio("the same, the first view after a write (board computed)", run_, base,
           "trivial page")
    run_, base = measure(Case("schools", dict, lambda c: _get(client, SCHOOLS),
                              "trivial page", trivial))
    _ratio(f"school list, regional staff ({schools} of {total:,} schools)", run_, base,
           "trivial page (goal ≤ 2×)")
    html = _pdf_html(staff)
    run_, base = measure(Case("pdf", dict, lambda c: _pdf(staff), "weasyprint",
                              lambda c: HTML(string=html).write_pdf(), repeat=5))
    _ratio("region PDF report (run_dashboard_pdf)", run_, base,
           "WeasyPrint alone, same HTML (goal ≤ 1.3×)", unit="s")

    profiled = {"dashboard": DASHBOARD, "schools": SCHOOLS}.get(os.environ.get("BENCH_PROFILE"))
    if profiled:  # where the page's time goes
        _profile(client, profiled)
    big = {url: _queries(client, url) for url in (DASHBOARD, SCHOOLS)}
    with CaptureQueriesContext(connection) as q:
        _pdf(staff)
    big["pdf"] = len(q)
    for key, label in ((DASHBOARD, "dashboard"), (SCHOOLS, "school list"),
                       ("pdf", "PDF report job")):
        _count(f"{label}, {SMALL} schools (DB: {small_schools:,})", small[key])
        verdict = "equal" if small[key] == big[key] else f"NOT equal (+{big[key] - small[key]})"
        _count(f"{label}, {schools} schools (DB: {total:,})", big[key],
               f"  {verdict} (goal: equal)")
    _api_paging(total)
    print(f"monitoring bench: {time.perf_counter() - started:.0f} s in all")


API_PAGE = 500


def _api_client():
    from rest_framework.test import APIClient

    from api.services import token_create
    from core.roles import Role
    from core.services import membership_create, user_create

    admin = user_create(actor=None, username="bench-api-admin", password=None,
                        last_name="Администраторов", first_name="Бенч")
    membership_create(actor=None, user=admin, role=Role.ADMINISTRATOR)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer " + token_create(
        actor=admin, name="bench", days=1)[1])
    return client


def _api_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as q:
        assert client.get(url).status_code == 200
    return len(q)


def _api_paging(total: int) -> None:
    """The administrator pages through every school of the federal list via the API: time
    per page against a trivial API endpoint (the regions list), and SQL per page constant
    from the first page to the last."""
    from django.test.utils import override_settings

    with override_settings(API_RATE="1000000/minute"):
        client = _api_client()
        url, pages, rows = f"/api/v1/school-years/?year={YEAR}&page_size={API_PAGE}", 0, 0
        started = time.perf_counter()
        while url:
            data = client.get(url).json()
            pages, rows, url = pages + 1, rows + len(data["results"]), data["next"]
        per_page = (time.perf_counter() - started) / pages
        trivial_runs = 20
        started = time.perf_counter()
        for _ in range(trivial_runs):
            client.get("/api/v1/regions/?page_size=1")
        trivial = (time.perf_counter() - started) / trivial_runs
        if os.environ.get("BENCH_PROFILE") == "api":  # where a page's time goes
            _profile(client, f"/api/v1/school-years/?year={YEAR}&page_size={API_PAGE}&page=40")
        first = _api_queries(client, f"/api/v1/school-years/?year={YEAR}&page_size={API_PAGE}")
        last = _api_queries(client, f"/api/v1/school-years/?year={YEAR}&page_size={API_PAGE}"
                                    f"&page={pages}")
    print(f"API paging: {rows:,} school-years of {total:,} schools in {pages} pages of "
          f"{API_PAGE}")
    _ratio(f"API page of {API_PAGE} school-years (administrator)", per_page, trivial,
           "trivial API endpoint (regions, one row)")
    _count("API queries, first page", first)
    _count("API queries, last page", last,
           f"  {'equal' if first == last else 'NOT equal'} (goal: equal)")
