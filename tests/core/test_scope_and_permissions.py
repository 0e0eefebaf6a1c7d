"""Scope per role, permissions inside it, and the guardian grants behind school roles."""

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from guardian.shortcuts import get_perms

from core import permissions
from core.models import AuditEntry
from core.roles import Role
from core.scope import scope_of
from core.services import MembershipError, membership_create, membership_end
from curators.services import AssignmentError, assignment_create, assignment_end
from schools.selectors import schools_for
from tests.factories import MunicipalityFactory, SchoolFactory, UserFactory


def _visible(user):
    return set(schools_for(user).values_list("short_name", flat=True))


def test_each_role_sees_exactly_its_schools(world_a, world_b, federal_observer, admin_user):
    a, b = world_a, world_b
    all_a = {a.school1.short_name, a.school2.short_name, a.school_other.short_name}
    all_b = {b.school1.short_name, b.school2.short_name, b.school_other.short_name}
    assert _visible(a.regional_staff) == all_a
    assert _visible(a.municipal_coordinator) == {a.school1.short_name, a.school2.short_name}
    assert _visible(a.curator) == {a.school1.short_name}
    assert _visible(a.school_coordinator) == {a.school1.short_name}
    assert _visible(a.methodist) == set()
    assert _visible(federal_observer) == set()  # aggregates only, no single record
    assert _visible(admin_user) == all_a | all_b


def test_user_without_roles_sees_nothing(world_a):
    assert _visible(UserFactory(username="nobody")) == set()
    assert scope_of(UserFactory(username="nobody2")).is_empty


def test_inactive_user_has_empty_scope(world_a):
    user = world_a.regional_staff
    user.is_active = False
    assert scope_of(user).is_empty


def test_permission_is_limited_to_the_roles_place(world_a, world_b):
    staff = world_a.regional_staff
    assert permissions.has_perm(staff, "schools.change_school", world_a.school1)
    assert not permissions.has_perm(staff, "schools.change_school", world_b.school1)
    assert not permissions.has_perm(world_a.curator, "schools.change_school", world_a.school1)
    assert permissions.has_perm(world_a.curator, "schools.view_school", world_a.school1)
    assert not permissions.has_perm(world_a.curator, "schools.view_school", world_a.school2)
    # the same answers through Django's own API (admin, templates)
    assert staff.has_perm("schools.change_school", world_a.school1)
    assert not staff.has_perm("schools.change_school", world_b.school1)


def test_federal_observer_sees_aggregates_and_cannot_write(federal_observer, world_a, world_b):
    from core.selectors import regions_for
    from schools.selectors import region_summaries_for

    assert set(regions_for(federal_observer)) == {world_a.region, world_b.region}
    assert {r.school_count for r in region_summaries_for(federal_observer)} == {3}
    assert not permissions.has_perm(federal_observer, "schools.view_school", world_a.school1)
    assert not permissions.has_perm(federal_observer, "schools.change_school", world_a.school1)
    with pytest.raises(ValueError):
        from core.roles import grant

        grant(Role.FEDERAL_OBSERVER, "schools.change_school")


def test_school_coordinator_membership_grants_and_revokes_object_right(world_a):
    user = UserFactory(username="coord_new")
    membership = membership_create(actor=world_a.regional_staff, user=user,
                                   role=Role.SCHOOL_COORDINATOR, school=world_a.school2)
    codename = settings.PORTAL_SCHOOL_COORDINATOR_PERM.split(".")[1]
    assert codename in get_perms(user, world_a.school2)
    assert membership.region == world_a.region
    assert AuditEntry.objects.filter(action="core.membership.created",
                                     actor=world_a.regional_staff,
                                     region=world_a.region).exists()
    membership_end(actor=world_a.regional_staff, membership=membership)
    assert codename not in get_perms(user, world_a.school2)
    assert _visible(user) == set()
    assert AuditEntry.objects.filter(action="core.membership.ended").exists()
    with pytest.raises(MembershipError, match="уже завершена"):
        membership_end(actor=world_a.regional_staff, membership=membership)


def test_duplicate_active_membership_is_refused(world_a):
    with pytest.raises(MembershipError, match="уже есть такая действующая роль"):
        membership_create(actor=None, user=world_a.curator, role=Role.CURATOR,
                          region=world_a.region)


def test_membership_place_must_fit_the_role(world_a):
    user = UserFactory(username="misplaced")
    with pytest.raises(MembershipError, match="нужно указать регион"):
        membership_create(actor=None, user=user, role=Role.REGIONAL_STAFF)
    with pytest.raises(MembershipError, match="во всех регионах"):
        membership_create(actor=None, user=user, role=Role.FEDERAL_OBSERVER,
                          region=world_a.region)
    with pytest.raises(MembershipError, match="нужна школа"):
        membership_create(actor=None, user=user, role=Role.SCHOOL_COORDINATOR,
                          region=world_a.region)
    assert not user.memberships.exists()


def test_regional_staff_cannot_give_roles_outside_its_region_or_national_roles(world_a, world_b):
    user = UserFactory(username="target")
    with pytest.raises(PermissionDenied):
        membership_create(actor=world_a.regional_staff, user=user, role=Role.CURATOR,
                          region=world_b.region)
    with pytest.raises(PermissionDenied):
        membership_create(actor=world_a.regional_staff, user=user, role=Role.ADMINISTRATOR)
    with pytest.raises(PermissionDenied):
        membership_create(actor=world_a.curator, user=user, role=Role.CURATOR,
                          region=world_a.region)
    assert not user.memberships.exists()


def test_administrator_membership_opens_the_admin_site(admin_user):
    assert admin_user.is_staff
    membership = admin_user.memberships.get(role=Role.ADMINISTRATOR)
    membership_end(actor=None, membership=membership)
    admin_user.refresh_from_db()
    assert not admin_user.is_staff


def test_curator_assignment_grants_and_revokes_school_access(world_a):
    curator = world_a.curator
    assignment = assignment_create(actor=world_a.regional_staff, curator=curator,
                                   school=world_a.school2, year=2022)
    assert world_a.school2.short_name in _visible(curator)
    assert "curate_school" in get_perms(curator, world_a.school2)
    assignment_end(actor=world_a.regional_staff, assignment=assignment)
    curator = type(curator).objects.get(pk=curator.pk)
    assert world_a.school2.short_name not in _visible(curator)
    assert world_a.school1.short_name in _visible(curator)
    actions = list(AuditEntry.objects.filter(action__startswith="curators.assignment")
                   .values_list("action", flat=True))
    assert "curators.assignment.created" in actions and "curators.assignment.ended" in actions


def test_assignment_needs_a_curator_of_the_schools_region(world_a, world_b):
    with pytest.raises(AssignmentError, match="не является куратором"):
        assignment_create(actor=None, curator=world_b.curator, school=world_a.school2,
                          year=2022)
    with pytest.raises(AssignmentError, match="уже назначен"):
        assignment_create(actor=None, curator=world_a.curator, school=world_a.school1,
                          year=2022)
    with pytest.raises(PermissionDenied):
        assignment_create(actor=world_b.regional_staff, curator=world_a.curator,
                          school=world_a.school2, year=2022)


def test_municipality_and_school_of_another_region_are_refused(world_a, world_b):
    from schools.services import SchoolError, school_create

    other = MunicipalityFactory(region=world_b.region, name="Чужой район")
    with pytest.raises(SchoolError, match="код"):
        school_create(actor=None, municipality=other, login="sch610001",
                      full_name="Школа с чужим логином")
    with pytest.raises(SchoolError, match="sch"):
        school_create(actor=None, municipality=other, login="school-1", full_name="Школа")
    created = school_create(actor=None, municipality=other, login=" SCH66 0999 ",
                            full_name="  Средняя   школа\u00a0№ 5 ")
    assert created.login == "sch660999"
    assert created.full_name == "Средняя школа № 5"
    with pytest.raises(PermissionDenied):
        school_create(actor=world_a.regional_staff, municipality=other, login="sch660998",
                      full_name="Школа")
    assert SchoolFactory._meta.model.objects.filter(login="sch660998").count() == 0


def test_curator_whose_role_in_a_region_ended_keeps_no_school_there(world_a, world_b):
    curator = world_a.curator
    membership = membership_create(actor=None, user=curator, role=Role.CURATOR,
                                   region=world_b.region)
    assignment_create(actor=None, curator=curator, school=world_b.school2, year=2022)
    curator = type(curator).objects.get(pk=curator.pk)
    assert world_b.school2.short_name in _visible(curator)
    membership_end(actor=None, membership=membership)
    curator = type(curator).objects.get(pk=curator.pk)
    assert _visible(curator) == {world_a.school1.short_name}


def test_school_level_role_takes_no_municipality(world_a, world_b):
    user = UserFactory(username="coord_muni")
    with pytest.raises(MembershipError, match="только школа"):
        membership_create(actor=None, user=user, role=Role.SCHOOL_COORDINATOR,
                          school=world_a.school2, municipality=world_b.municipality)
    assert not user.memberships.exists()


def test_permissions_given_by_hand_grant_nothing(world_a):
    from django.contrib.auth.models import Permission

    user = world_a.methodist
    user.user_permissions.add(Permission.objects.get(codename="change_school"))
    user = type(user).objects.get(pk=user.pk)
    assert not user.has_perm("schools.change_school")
    assert not user.has_perm("schools.change_school", world_a.school1)


def test_municipality_level_rows_are_narrowed_for_municipal_coordinators(world_a):
    from core.selectors import municipalities_for

    assert set(municipalities_for(world_a.municipal_coordinator)) == {world_a.municipality}
    assert set(municipalities_for(world_a.regional_staff)) == {world_a.municipality,
                                                                world_a.other_municipality}
    assert set(municipalities_for(world_a.curator)) == {world_a.municipality,
                                                         world_a.other_municipality}
    assert set(municipalities_for(world_a.school_coordinator)) == set()


def test_a_user_with_several_roles_gets_the_union(world_a, world_b, client):
    """A methodist of region A who is also school coordinator of a school of region B."""
    from django.urls import reverse

    user = world_a.methodist
    membership_create(actor=None, user=user, role=Role.SCHOOL_COORDINATOR,
                      school=world_b.school2)
    user = type(user).objects.get(pk=user.pk)
    assert _visible(user) == {world_b.school2.short_name}
    assert scope_of(user).roles == {Role.METHODIST, Role.SCHOOL_COORDINATOR}
    client.force_login(user)
    home = client.get(reverse("core:home")).content.decode()
    assert "Моя работа в методическом активе" in home and "Моя школа" in home
    assert world_b.school2.short_name in home
    assert client.get(world_b.school2.get_absolute_url()).status_code == 200
    assert client.get(world_b.school1.get_absolute_url()).status_code == 404
