"""The demo region reproduces the source's figures and loads idempotently."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from core.models import AuditEntry, Municipality, Region, RoleMembership, User
from core.roles import Role
from curators.models import CuratorAssignment
from schools.models import School
from schools.selectors import schools_for


@pytest.fixture
def demo(db):
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_rostov_2022_has_60_schools_in_39_municipalities(demo):
    rostov = Region.objects.get(code=61)
    assert rostov.name == "Ростовская область"
    participants = School.objects.filter(region=rostov, years__year=2022,
                                         years__is_participant=True)
    assert participants.count() == 60
    assert participants.values("municipality").distinct().count() == 39
    # five cities without ШНОР: the pool's other 83 methodists and the schools of the
    # 2021 course's teachers who were not from ШНОР
    assert Municipality.objects.filter(region=rostov).count() == 39 + 5
    per_municipality = Counter(participants.values_list("municipality__name", flat=True))
    assert per_municipality["Дубовский район"] == 3
    assert per_municipality["г. Шахты"] == 2
    assert per_municipality["Обливский район"] == 1


def test_nine_curators_with_9_9_and_six_times_7_schools(demo):
    load = Counter(CuratorAssignment.objects.filter(year=2022, ended_at__isnull=True)
                   .values_list("curator__last_name", flat=True))
    assert len(load) == 9
    assert sorted(load.values(), reverse=True) == [9, 9, 6, 6, 6, 6, 6, 6, 6]
    assert load["Лазурченко"] == 9 and load["Бочаров"] == 9
    # every one of the 60 schools has exactly one curator
    per_school = Counter(CuratorAssignment.objects.values_list("school_id", flat=True))
    assert len(per_school) == 60 and set(per_school.values()) == {1}
    order = CuratorAssignment.objects.first()
    assert order.order_label == "приказ от 09.03.2022 № 235"


def test_overlapping_territories_are_reconciled_as_the_readme_says(demo):
    def curators_of(municipality):
        return Counter(CuratorAssignment.objects.filter(school__municipality__name=municipality)
                       .values_list("curator__last_name", flat=True))

    assert curators_of("Тацинский район") == {"Бочаров": 1, "Шашина": 1}
    assert curators_of("Дубовский район") == {"Иванова": 1, "Шашина": 2}
    assert curators_of("Обливский район") == {"Горбунько": 1}


def test_curator_sees_the_real_schools_of_the_risk_matrix(demo):
    curator = User.objects.get(username="lastovyrya")
    names = set(schools_for(curator).values_list("short_name", flat=True))
    assert names == {"МБОУ Первомайская СОШ", "МБОУ Михайловская СОШ",
                     "МБОУ Большекирсановская СОШ", "МБОУ СОШ №2", "МОУ Колодезянская СОШ",
                     "МБОУ Никольская СОШ"}
    assert not School.objects.filter(short_name__in=names, is_demo=True).exists()
    # 54 invented participants, 40 non-ШНОР schools of the 2021 course's teachers, and the
    # three 2021 contest winners named by seed 000, and two mentor schools of network pairs
    assert School.objects.filter(region__code=61, is_demo=True).count() == 54 + 40 + 3 + 2


def test_contest_editions_of_seed_000(demo):
    from contests.models import Edition
    from contests.selectors import practices_for, ranking

    e2021 = Edition.objects.get(region__code=61, year=2021)
    assert e2021.is_published
    placed = {(a.school.short_name, a.place) for a in e2021.applications.filter(
        place__isnull=False)}
    assert placed == {("МБОУ СОШ № 35 г. Шахты", 1), ("МБОУ Колушкинская СОШ", 1),
                      ("МБОУ Рыновская ООШ", 2)}
    concept = e2021.nominations.get(number=1)
    assert [r.application.school.short_name for r in ranking(concept)] == [
        "МБОУ Колушкинская СОШ", "МБОУ Рыновская ООШ"]
    staff = User.objects.get(username="rostov.region")
    assert practices_for(staff).count() == 3
    e2022 = Edition.objects.get(region__code=61, year=2022)
    assert e2022.stage == Edition.Stage.APPLICATIONS
    assert e2022.nominations.count() == 6
    assert e2022.applications.get().school.short_name == "МБОУ Первомайская СОШ"


def test_second_region_has_the_seven_kamensk_schools(demo):
    schools = School.objects.filter(region__code=66)
    assert schools.count() == 7
    assert set(schools.values_list("municipality__name", flat=True)) == {
        "Каменск-Уральский городской округ"}
    assert schools.filter(login="sch660027",
                          full_name__contains="№ 27 с интернатом").exists()


def test_one_user_per_role_and_credentials_are_printed(demo):
    roles = set(RoleMembership.objects.values_list("role", flat=True))
    assert roles == set(Role.values)
    for login in ("admin", "observer", "rostov.region", "shakhty.mun", "lastovyrya",
                  "pervomayskaya.school", "rostov.methodist", "sverdlovsk.region",
                  "ku.school27"):
        assert f"логин: {login} " in demo
        assert User.objects.get(username=login).check_password("Demo-500plus")


def test_second_run_changes_nothing(demo):
    counts = (School.objects.count(), User.objects.count(), RoleMembership.objects.count(),
              CuratorAssignment.objects.count(), AuditEntry.objects.count())
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "ничего (уже было)" in out.getvalue()
    assert counts == (School.objects.count(), User.objects.count(),
                      RoleMembership.objects.count(), CuratorAssignment.objects.count(),
                      AuditEntry.objects.count())


def test_missing_data_directory_is_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match="rostov_2022_districts.csv"):
        call_command("load_demo", data_dir=str(tmp_path))
    assert not Region.objects.exists()


def test_the_2022_lists_went_through_the_import(demo):
    from schools.models import ImportBatch, SchoolYear

    batches = ImportBatch.objects.filter(year=2022, status="applied",
                                         kind=ImportBatch.Kind.PARTICIPANTS)
    assert batches.count() == 2
    rostov = SchoolYear.objects.filter(region__code=61, year=2022)
    # the 60 ШНОР of the list, and the indices of two mentor schools (not participants)
    assert rostov.filter(is_participant=True).count() == 60
    assert rostov.filter(is_participant=True, is_shnor=True).count() == 60
    assert rostov.filter(is_participant=False).count() == 2
    assert rostov.get(school__short_name="МБОУ Первомайская СОШ").category == \
        "СИЛЬНО НЕУСПЕВАЮЩАЯ"
    assert SchoolYear.objects.filter(region__code=66, year=2022).count() == 7


def test_the_curator_matrix_of_the_demo_is_the_seed_table(demo):
    from core.models import User
    from risk_profiles.models import RiskProfile
    from risk_profiles.selectors import curator_matrix

    curator = User.objects.get(username="lastovyrya")
    staff = User.objects.get(username="rostov.region")
    matrix = curator_matrix(staff, curator=curator, year=2022)
    assert sorted(r.total for r in matrix.rows) == sorted([2, 3, 3, 4, 2, 3])
    assert dict(zip((f.code for f in matrix.factors), matrix.factor_totals, strict=True)) == {
        "R01": 5, "R07": 3, "R11": 2, "R12": 2, "R04": 3, "R06": 2}
    statuses = sorted(RiskProfile.objects.filter(region__code=61)
                      .values_list("status", flat=True))
    assert statuses == ["draft", "submitted", "submitted", "verified", "verified", "verified"]


def test_the_pool_and_the_course_reproduce_seed_000(demo):
    from methodists.selectors import pool_by_subject, pool_coverage
    from training.models import Course
    from training.selectors import course_table

    rostov = Region.objects.get(code=61)
    rows, total, _ = pool_by_subject(rostov)
    assert total == 308
    assert {r.subject: r.methodists for r in rows}["Русский язык и литература"] == 106
    coverage = pool_coverage(rostov, 2022)
    assert (coverage.in_shnor_municipalities, coverage.elsewhere) == (225, 83)
    table, all_rows = course_table(Course.objects.get(title="Школа современного учителя"))
    assert (all_rows.total, all_rows.shnor, all_rows.share) == (1676, 510, 30)
    assert [(r.total, r.shnor, r.share) for r in table if r.subject == "История"] == [
        (211, 95, 45)]


def test_load_demo_refuses_production_settings_unless_told(settings, db, tmp_path):
    settings.PORTAL_PRODUCTION = True
    with pytest.raises(CommandError, match="Это рабочий портал"):
        call_command("load_demo", stdout=StringIO())
    assert not Region.objects.exists()
    # told explicitly, it goes on (here to the missing data folder)
    with pytest.raises(CommandError, match="rostov_2022_districts.csv"):
        call_command("load_demo", data_dir=str(tmp_path), i_know_this_is_production=True)
