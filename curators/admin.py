from django.contrib import admin

from core.admin import AuditedAdmin, ReadOnlyAdmin

from .models import (
    Affiliation,
    CuratorAssignment,
    CuratorOrder,
    ExpertiseCriterion,
    ExpertiseScheme,
    ExpertiseSheet,
    WorkLogEntry,
)


@admin.register(CuratorAssignment)
class CuratorAssignmentAdmin(ReadOnlyAdmin):
    list_display = ("curator", "school", "year", "order", "is_co_curator", "ended_at")
    list_filter = ("year", "region", "is_co_curator")
    search_fields = ("curator__last_name", "school__short_name")


@admin.register(CuratorOrder)
class CuratorOrderAdmin(ReadOnlyAdmin):
    list_display = ("region", "year", "number", "date", "title")
    list_filter = ("year", "region")


@admin.register(Affiliation)
class AffiliationAdmin(ReadOnlyAdmin):
    list_display = ("user", "municipality", "school", "position", "ended_at")
    list_filter = ("region",)


@admin.register(WorkLogEntry)
class WorkLogEntryAdmin(ReadOnlyAdmin):
    list_display = ("date", "curator", "school", "kind", "minutes", "removed_at")
    list_filter = ("kind", "region")
    search_fields = ("curator__last_name", "school__short_name", "text")


class CriterionInline(admin.TabularInline):
    model = ExpertiseCriterion
    extra = 0


@admin.register(ExpertiseScheme)
class ExpertiseSchemeAdmin(AuditedAdmin):
    """The year's criteria and zone thresholds are configuration (seed 001: 0–5, 6–10,
    11–14); sheets already scored keep their points, their zone follows the thresholds."""

    audit_code = "curators.scheme.changed"
    list_display = ("year", "title", "red_max", "yellow_max")
    inlines = [CriterionInline]

    def has_delete_permission(self, request, obj=None):
        return obj is None or not ExpertiseSheet.objects.filter(scheme=obj).exists()


@admin.register(ExpertiseSheet)
class ExpertiseSheetAdmin(ReadOnlyAdmin):
    list_display = ("school", "year", "total", "status", "expert", "published_at")
    list_filter = ("year", "status", "region")
