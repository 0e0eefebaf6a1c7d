"""Assignments: rights granted and revoked, one lead curator a year, conflicts of interest,
all-or-nothing bulk assignment, the order's date, and the load check of seed 000."""

import datetime

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from guardian.shortcuts import get_perms

from core.models import AuditEntry
from curators.models import CuratorAssignment, CuratorOrder
from curators.selectors import conflicts_of, load_check
from curators.services import (
    AssignmentConflict,
    AssignmentError,
    AssignmentTerms,
    affiliation_add,
    assignment_create,
    assignment_end,
    assignments_bulk_create,
    order_create,
    order_date_check,
)
from schools.selectors import schools_for
from tests.factories import SchoolFactory, SchoolYearFactory

from .conftest import pdf

CURATE = settings.PORTAL_CURATOR_PERM.split(".")[1]


def _fresh(user):
    return type(user).objects.get(pk=user.pk)


def test_assigning_grants_the_school_and_ending_revokes_it(world_a, second_curator, order_a):
    staff = world_a.regional_staff
    made = assignments_bulk_create(actor=staff, curator=second_curator,
                                   schools=[world_a.school2, world_a.school_other],
                                   terms=AssignmentTerms(year=2022, order=order_a,
                                                         organisation="РИПК и ППРО"))
    assert {a.school for a in made} == {world_a.school2, world_a.school_other}
    assert CURATE in get_perms(second_curator, world_a.school2)
    assert set(schools_for(_fresh(second_curator))) == {world_a.school2, world_a.school_other}
    assert made[0].order_label == "приказ от 09.03.2022 № 235"
    assert made[0].starts_on == datetime.date(2022, 3, 9)  # from the order

    assignment_end(actor=staff, assignment=made[0], ends_on=datetime.date(2022, 12, 31))
    assert CURATE not in get_perms(second_curator, made[0].school)
    assert set(schools_for(_fresh(second_curator))) == {made[1].school}
    ended = CuratorAssignment.objects.get(pk=made[0].pk)
    assert ended.ends_on == datetime.date(2022, 12, 31) and ended.ended_at is not None
    actions = list(AuditEntry.objects.filter(action__startswith="curators.assignment")
                   .values_list("action", flat=True))
    assert actions.count("curators.assignment.created") >= 2
    assert "curators.assignment.ended" in actions


def test_ending_keeps_the_right_while_another_assignment_of_the_school_is_open(
        world_a, second_curator):
    first = assignment_create(actor=None, curator=second_curator, school=world_a.school2,
                              year=2022)
    assignment_create(actor=None, curator=second_curator, school=world_a.school2, year=2023)
    assignment_end(actor=world_a.regional_staff, assignment=first)
    assert CURATE in get_perms(second_curator, world_a.school2)


def test_a_school_has_one_lead_curator_a_year_unless_explicitly_a_co_curator(
        world_a, second_curator):
    with pytest.raises(AssignmentError, match="уже есть куратор на 2022 год: Кураторова"):
        assignment_create(actor=world_a.regional_staff, curator=second_curator,
                          school=world_a.school1, year=2022)
    assert CuratorAssignment.objects.filter(school=world_a.school1).count() == 1
    co = assignment_create(actor=world_a.regional_staff, curator=second_curator,
                           school=world_a.school1,
                           terms=AssignmentTerms(year=2022, co_curator=True))
    assert co.is_co_curator
    assert CURATE in get_perms(second_curator, world_a.school1)


def test_the_same_curator_twice_is_refused(world_a):
    with pytest.raises(AssignmentError, match="уже назначен куратором школы"):
        assignment_create(actor=None, curator=world_a.curator, school=world_a.school1,
                          terms=AssignmentTerms(year=2022, co_curator=True))


def test_a_school_of_another_region_is_refused_and_nothing_changes(world_a, world_b,
                                                                  second_curator):
    before = CuratorAssignment.objects.count()
    with pytest.raises(PermissionDenied):
        assignment_create(actor=world_a.regional_staff, curator=second_curator,
                          school=world_b.school2, year=2022)
    with pytest.raises(AssignmentError, match="не является куратором в регионе"):
        assignment_create(actor=None, curator=second_curator, school=world_b.school2,
                          year=2022)
    assert CuratorAssignment.objects.count() == before


def test_an_order_of_another_region_or_year_is_refused(world_a, world_b, second_curator):
    order_b = order_create(actor=world_b.regional_staff, region=world_b.region, year=2022,
                           number="1", date=datetime.date(2022, 2, 1))
    with pytest.raises(AssignmentError, match="другому региону"):
        assignment_create(actor=None, curator=second_curator, school=world_a.school2,
                          terms=AssignmentTerms(year=2022, order=order_b))
    order_a = order_create(actor=world_a.regional_staff, region=world_a.region, year=2023,
                           number="2", date=datetime.date(2023, 2, 1))
    with pytest.raises(AssignmentError, match="на 2023 год, а назначение — на 2022"):
        assignment_create(actor=None, curator=second_curator, school=world_a.school2,
                          terms=AssignmentTerms(year=2022, order=order_a))


def test_bulk_assignment_is_all_or_nothing(world_a, second_curator):
    before = CuratorAssignment.objects.count()
    with pytest.raises(AssignmentError) as info:
        # school1 already has its lead curator: school2 must not be assigned either
        assignments_bulk_create(actor=world_a.regional_staff, curator=second_curator,
                                schools=[world_a.school2, world_a.school1],
                                terms=AssignmentTerms(year=2022))
    assert str(info.value).startswith("Ни одна школа не назначена.")
    assert world_a.school1.short_name in str(info.value)
    assert CuratorAssignment.objects.count() == before
    assert CURATE not in get_perms(second_curator, world_a.school2)


def test_conflict_of_interest_own_school_and_own_municipality(world_a, second_curator):
    affiliation_add(actor=second_curator, user=second_curator,
                    municipality=world_a.municipality, school=world_a.school2,
                    position="учитель")
    affiliation_add(actor=world_a.regional_staff, user=second_curator,
                    municipality=world_a.other_municipality,
                    position="специалист управления образования")
    conflicts = conflicts_of(second_curator, [world_a.school2, world_a.school_other,
                                              world_a.school1])
    assert conflicts[world_a.school2.pk] == ["работает в этой школе (учитель)"]
    assert "органе управления образованием" in conflicts[world_a.school_other.pk][0]
    assert world_a.school1.pk not in conflicts  # same municipality, another school

    for school in (world_a.school2, world_a.school_other):
        with pytest.raises(AssignmentConflict, match="Конфликт интересов"):
            assignment_create(actor=world_a.regional_staff, curator=second_curator,
                              school=school, year=2022)
    assert not CuratorAssignment.objects.filter(curator=second_curator).exists()
    accepted = assignment_create(actor=world_a.regional_staff, curator=second_curator,
                                 school=world_a.school2,
                                 terms=AssignmentTerms(year=2022, accept_conflict=True))
    assert accepted.conflict_note == "работает в этой школе (учитель)"
    entry = AuditEntry.objects.filter(action="curators.assignment.created").latest("pk")
    assert entry.data["conflict"] == "работает в этой школе (учитель)"


def test_declaring_a_school_outside_the_municipality_is_refused(world_a, second_curator):
    with pytest.raises(AssignmentError, match="не относится к муниципалитету"):
        affiliation_add(actor=second_curator, user=second_curator,
                        municipality=world_a.other_municipality, school=world_a.school1)


@pytest.mark.parametrize("date, message", [
    (datetime.date(2026, 12, 1), "ещё не наступила"),
    (datetime.date(2023, 1, 10), "позже 2022 года"),
    (datetime.date(2020, 12, 30), "раньше 2021 года"),
])
def test_order_dates_outside_the_programme_year_are_refused(date, message):
    with pytest.raises(AssignmentError, match=message):
        order_date_check(date, 2022, today=datetime.date(2026, 11, 23))


def test_an_order_autumn_before_the_year_and_its_file_are_accepted(world_a):
    order = order_create(actor=world_a.regional_staff, region=world_a.region, year=2022,
                         number="№ 12", date=datetime.date(2021, 11, 30),
                         upload=pdf("prikaz-12.pdf"))
    assert order.number == "12" and order.file_name == "prikaz-12.pdf"
    assert order.file.name.startswith(f"curators/orders/{world_a.region.pk}/")
    with pytest.raises(AssignmentError, match="уже добавлен"):
        order_create(actor=world_a.regional_staff, region=world_a.region, year=2022,
                     number="12", date=datetime.date(2021, 11, 30))
    assert CuratorOrder.objects.filter(number="12").count() == 1


def test_an_order_is_added_by_regional_staff_only(world_a):
    with pytest.raises(PermissionDenied):
        order_create(actor=world_a.curator, region=world_a.region, year=2022, number="1",
                     date=datetime.date(2022, 3, 1))


def test_load_check_counts_schools_whose_curator_has_one_school(world_a, second_curator):
    # world_a: three participants; the curator has school1 only → 1 of 3
    check = load_check(world_a.regional_staff, 2022)
    assert (check.participants, check.with_curator, check.single) == (3, 1, 1)
    assert check.share == 33.3 and not check.meets
    assignment_create(actor=None, curator=second_curator, school=world_a.school2, year=2022)
    assignment_create(actor=None, curator=second_curator, school=world_a.school_other,
                      year=2022)
    check = load_check(world_a.regional_staff, 2022)
    assert (check.with_curator, check.single) == (3, 1)


def test_load_check_meets_the_90_percent_rule_only_above_90(world_a):
    from core.roles import Role
    from core.services import membership_create
    from tests.factories import UserFactory

    schools = [world_a.school2, world_a.school_other]
    for _ in range(7):
        school = SchoolFactory(municipality=world_a.municipality)
        SchoolYearFactory(school=school)
        schools.append(school)
    # 10 participants: nine with a curator of their own, school1 with none → 90%: not «over»
    assignment_end(actor=None, assignment=CuratorAssignment.objects.get(school=world_a.school1))
    curators = []
    for i, school in enumerate(schools):
        user = UserFactory(username=f"single_{i}")
        membership_create(actor=None, user=user, role=Role.CURATOR, region=world_a.region)
        assignment_create(actor=None, curator=user, school=school, year=2022)
        curators.append(user)
    check = load_check(world_a.regional_staff, 2022)
    assert (check.participants, check.with_curator, check.single) == (10, 9, 9)
    assert check.share == 90.0 and not check.meets
    # school1 to a curator who already has one: both its schools stop counting → 80%
    shared = assignment_create(actor=None, curator=curators[0], school=world_a.school1,
                               year=2022)
    assert load_check(world_a.regional_staff, 2022).single == 8
    # school1 to a curator of its own: 10 of 10
    assignment_end(actor=None, assignment=shared)
    assignment_create(actor=None, curator=world_a.curator, school=world_a.school1, year=2022)
    check = load_check(world_a.regional_staff, 2022)
    assert (check.single, check.share) == (10, 100.0) and check.meets


def test_a_co_curator_needs_a_lead_curator(world_a, second_curator):
    with pytest.raises(AssignmentError, match="нет основного куратора"):
        assignment_create(actor=world_a.regional_staff, curator=second_curator,
                          school=world_a.school2,
                          terms=AssignmentTerms(year=2022, co_curator=True))
    assert not CuratorAssignment.objects.filter(school=world_a.school2).exists()


def test_a_curator_cannot_withdraw_a_work_place_declared_by_regional_staff(world_a,
                                                                           second_curator):
    from curators.services import affiliation_end

    declared = affiliation_add(actor=world_a.regional_staff, user=second_curator,
                               municipality=world_a.municipality, school=world_a.school2)
    with pytest.raises(PermissionDenied):
        affiliation_end(actor=second_curator, affiliation=declared)
    own = affiliation_add(actor=second_curator, user=second_curator,
                          municipality=world_a.other_municipality)
    assert affiliation_end(actor=second_curator, affiliation=own).ended_at is not None
    assert affiliation_end(actor=world_a.regional_staff,
                           affiliation=declared).ended_at is not None
