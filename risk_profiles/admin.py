from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import RiskFactor, RiskProfile


@admin.register(RiskFactor)
class RiskFactorAdmin(ReadOnlyAdmin):
    """The catalogue changes on its own page, through the audited services."""

    list_display = ("year", "position", "code", "title")
    list_filter = ("year",)


@admin.register(RiskProfile)
class RiskProfileAdmin(ReadOnlyAdmin):
    list_display = ("school", "year", "status", "updated_at")
    list_filter = ("year", "status", "region")
    search_fields = ("school__short_name", "school__login")
