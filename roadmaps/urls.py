from django.urls import path

from .views import documents, imports, items, kinds, plans, schedule

app_name = "roadmaps"

urlpatterns = [
    path("", documents.document_list, name="document_list"),
    path("kinds/", kinds.kinds, name="kinds"),
    path("kinds/load/", kinds.kinds_load, name="kinds_load"),
    path("schools/<uuid:school>/<int:year>/", documents.checklist, name="checklist"),
    path("schools/<uuid:school>/<int:year>/upload/", documents.document_upload,
         name="document_upload"),
    path("<uuid:public_id>/", documents.document_detail, name="document_detail"),
    path("<uuid:public_id>/versions/new/", documents.version_upload, name="version_upload"),
    path("<uuid:public_id>/action/", documents.document_action, name="document_action"),
    path("<uuid:public_id>/decision/", documents.document_decide, name="document_decide"),
    path("<uuid:public_id>/comments/", documents.comment_add, name="comment_add"),
    path("<uuid:public_id>/compare/", documents.version_compare, name="version_compare"),
    path("versions/<uuid:public_id>/file/", documents.version_download,
         name="version_download"),
    # electronic roadmaps and the plan-schedule
    path("plans/", plans.plan_list, name="plan_list"),
    path("plans/new/", plans.plan_create, name="plan_create"),
    path("plans/import/", imports.plan_import, name="plan_import"),
    path("plans/<uuid:public_id>/", plans.plan_detail, name="plan_detail"),
    path("plans/<uuid:public_id>/timeline/", plans.plan_timeline, name="plan_timeline"),
    path("plans/<uuid:public_id>/export.xlsx", plans.plan_xlsx, name="plan_xlsx"),
    path("plans/<uuid:public_id>/pdf/", plans.plan_pdf, name="plan_pdf"),
    path("plans/<uuid:public_id>/sections/", plans.section_add, name="section_add"),
    path("plans/<uuid:public_id>/items/", plans.item_add, name="item_add"),
    path("plans/schools/<uuid:school>/<int:year>/", plans.school_plan, name="school_plan"),
    path("plans/schools/<uuid:school>/<int:year>/start/", plans.school_plan_start,
         name="school_plan_start"),
    path("plans/items/<uuid:public_id>/", items.item_detail, name="item_detail"),
    path("plans/items/<uuid:public_id>/edit/", items.item_edit, name="item_edit"),
    path("plans/items/<uuid:public_id>/complete/", items.item_complete, name="item_complete"),
    path("plans/items/<uuid:public_id>/reopen/", items.item_reopen, name="item_reopen"),
    path("plans/items/<uuid:public_id>/remove/", items.item_remove, name="item_remove"),
    path("plans/overdue/", items.overdue, name="overdue"),
    path("plans/schedule/", schedule.schedule, name="schedule"),
    path("plans/schedule/stages/", schedule.stage_add, name="stage_add"),
    path("plans/schedule/stages/<uuid:public_id>/", schedule.stage_edit, name="stage_edit"),
    path("plans/schedule/stages/<uuid:public_id>/remove/", schedule.stage_remove,
         name="stage_remove"),
]
