from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import School


@admin.register(School)
class SchoolAdmin(ReadOnlyAdmin):
    list_display = ("short_name", "login", "municipality", "region", "kind", "is_demo")
    list_filter = ("region", "kind", "is_demo")
    search_fields = ("short_name", "full_name", "login", "inn")
