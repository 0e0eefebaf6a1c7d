"""The Django admin: administrators only, in Russian, writes through services, audited."""

from django.urls import reverse

from core.models import AuditEntry, RoleMembership
from core.roles import Role
from tests.factories import UserFactory


def test_admin_is_russian_and_audits_every_page_opened(client, admin_user):
    client.force_login(admin_user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Администрирование" in body and "Роли пользователей" in body
    entry = AuditEntry.objects.filter(action="core.admin.request").latest("created_at")
    assert entry.actor == admin_user and entry.data["path"] == "/admin/"


def test_admin_is_closed_to_regional_staff(client, world_a):
    client.force_login(world_a.regional_staff)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_membership_added_in_admin_goes_through_the_service(client, admin_user, world_a):
    user = UserFactory(username="new_staff")
    client.force_login(admin_user)
    response = client.post(reverse("admin:core_rolemembership_add"), {
        "user": user.pk, "role": Role.REGIONAL_STAFF, "region": world_a.region.pk,
        "municipality": "", "school": "",
    })
    assert response.status_code == 302
    assert RoleMembership.objects.filter(user=user, role=Role.REGIONAL_STAFF).exists()
    assert AuditEntry.objects.filter(action="core.membership.created", actor=admin_user).exists()


def test_audit_trail_cannot_be_edited_or_deleted_in_admin(client, admin_user, world_a):
    client.force_login(admin_user)
    entry = AuditEntry.objects.first()
    change = client.post(reverse("admin:core_auditentry_change", args=[entry.pk]), {})
    assert change.status_code == 403
    delete = client.post(reverse("admin:core_auditentry_delete", args=[entry.pk]),
                         {"post": "yes"})
    assert delete.status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_refused_membership_in_admin_reshows_the_form_with_the_reason(client, admin_user,
                                                                      world_a):
    client.force_login(admin_user)
    response = client.post(reverse("admin:core_rolemembership_add"), {
        "user": world_a.curator.pk, "role": Role.CURATOR, "region": world_a.region.pk,
        "municipality": "", "school": "",
    })
    assert response.status_code == 200
    body = response.content.decode()
    assert "уже есть такая действующая роль" in body
    assert "успешно" not in body
    assert RoleMembership.objects.filter(user=world_a.curator, role=Role.CURATOR).count() == 1
