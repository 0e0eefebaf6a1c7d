from django.contrib import admin

from core.admin import AuditedAdmin, ReadOnlyAdmin

from .models import Document, DocumentKind, ReturnReason


@admin.register(DocumentKind)
class DocumentKindAdmin(AuditedAdmin):
    audit_code = "roadmaps.kind.changed"
    list_display = ("year", "position", "title", "gender", "mode", "required")
    list_filter = ("year", "mode", "required")
    ordering = ("-year", "position")

    def get_readonly_fields(self, request, obj=None):
        # the code and the mode decide which slot a school's documents occupy
        return ("year", "code", "mode") if obj is not None and obj.documents.exists() else ()


@admin.register(ReturnReason)
class ReturnReasonAdmin(AuditedAdmin):
    audit_code = "roadmaps.reason.changed"
    list_display = ("position", "title", "code", "active")
    list_editable = ("active",)
    ordering = ("position",)

    def has_delete_permission(self, request, obj=None):
        return False  # past returns name their reasons; retire one by clearing «active»


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ("school", "year", "kind", "risk_factor", "status", "version_count")
    list_filter = ("year", "status", "region")
    search_fields = ("school__short_name", "school__login")
