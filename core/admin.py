"""Django admin (Russian). Writes that matter go through services, so rights and the
audit trail stay the same as in the portal; the audit trail and jobs are read-only."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied

from . import audit
from .exceptions import DomainError
from .models import AuditEntry, Job, Municipality, Region, RoleMembership, User
from .services import membership_build, membership_create, membership_end


class MembershipAdminForm(forms.ModelForm):
    """Runs the service's own validation, so a refused role re-shows the form with the
    reason instead of a false «added successfully»."""

    actor = None

    class Meta:
        model = RoleMembership
        fields = ("user", "role", "region", "municipality", "school")

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            membership_build(actor=self.actor, user=data["user"], role=data["role"],
                             region=data.get("region"), municipality=data.get("municipality"),
                             school=data.get("school"))
        except DomainError as exc:
            raise forms.ValidationError(str(exc))
        except PermissionDenied as exc:
            raise forms.ValidationError(str(exc))
        return data


class AuditedAdmin(admin.ModelAdmin):
    """Configuration edited in the admin; every change lands in the portal's audit too."""

    audit_code = ""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit.record(request.user, self.audit_code, obj,
                     {"changed": form.changed_data, "created": not change})


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    list_display = ("username", "last_name", "first_name", "middle_name", "email", "is_active")
    search_fields = ("username", "last_name", "first_name", "email")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Личные данные", {"fields": ("last_name", "first_name", "middle_name", "email",
                                      "position", "organisation")}),
        ("Доступ", {"fields": ("is_active", "is_staff", "is_superuser")}),
        ("Даты", {"fields": ("last_login", "date_joined")}),
    )

    def has_delete_permission(self, request, obj=None):
        return False  # users are deactivated, never deleted: the audit trail refers to them

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        fields = sorted(form.changed_data)
        audit.record(request.user, "core.user.changed" if change else "core.user.created",
                     obj, {"fields": fields})


@admin.register(Region)
class RegionAdmin(ReadOnlyAdmin):
    list_display = ("code", "name")
    search_fields = ("name",)


@admin.register(Municipality)
class MunicipalityAdmin(ReadOnlyAdmin):
    list_display = ("name", "region")
    list_filter = ("region",)
    search_fields = ("name",)


@admin.register(RoleMembership)
class RoleMembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "region", "municipality", "school", "started_at", "ended_at")
    list_filter = ("role", "region", ("ended_at", admin.EmptyFieldListFilter))
    search_fields = ("user__username", "user__last_name")
    autocomplete_fields = ("user",)
    raw_id_fields = ("school", "municipality")
    fields = ("user", "role", "region", "municipality", "school")
    form = MembershipAdminForm
    actions = ["end_memberships"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type("BoundMembershipAdminForm", (form,), {"actor": request.user})

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        created = membership_create(actor=request.user, user=obj.user, role=obj.role,
                                    region=obj.region, municipality=obj.municipality,
                                    school=obj.school)
        obj.pk = created.pk  # the admin's log entry and redirect point at the real row

    @admin.action(description="Завершить выбранные роли")
    def end_memberships(self, request, queryset):
        ended = 0
        for membership in queryset.filter(ended_at__isnull=True):
            membership_end(actor=request.user, membership=membership)
            ended += 1
        messages.success(request, f"Завершено ролей: {ended}.")


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "actor_label", "action", "target_repr", "region", "ip_address")
    list_filter = ("action", "region")
    search_fields = ("actor_label", "target_repr", "action")
    date_hierarchy = "created_at"


@admin.register(Job)
class JobAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "kind", "created_by", "status", "progress", "message")
    list_filter = ("status", "kind")
