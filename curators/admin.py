from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import CuratorAssignment


@admin.register(CuratorAssignment)
class CuratorAssignmentAdmin(ReadOnlyAdmin):
    list_display = ("curator", "school", "year", "order_number", "order_date", "ended_at")
    list_filter = ("year", "region")
    search_fields = ("curator__last_name", "school__short_name")
