from django.urls import path

from . import views
from . import views_plans as plans

app_name = "roadmaps"

urlpatterns = [
    path("", views.document_list, name="document_list"),
    path("kinds/", views.kinds, name="kinds"),
    path("kinds/load/", views.kinds_load, name="kinds_load"),
    path("schools/<uuid:school>/<int:year>/", views.checklist, name="checklist"),
    path("schools/<uuid:school>/<int:year>/upload/", views.document_upload,
         name="document_upload"),
    path("<uuid:public_id>/", views.document_detail, name="document_detail"),
    path("<uuid:public_id>/versions/new/", views.version_upload, name="version_upload"),
    path("<uuid:public_id>/action/", views.document_action, name="document_action"),
    path("<uuid:public_id>/decision/", views.document_decide, name="document_decide"),
    path("<uuid:public_id>/comments/", views.comment_add, name="comment_add"),
    path("<uuid:public_id>/compare/", views.version_compare, name="version_compare"),
    path("versions/<uuid:public_id>/file/", views.version_download, name="version_download"),
    # electronic roadmaps and the plan-schedule
    path("plans/", plans.plan_list, name="plan_list"),
    path("plans/new/", plans.plan_create, name="plan_create"),
    path("plans/import/", plans.plan_import, name="plan_import"),
    path("plans/<uuid:public_id>/", plans.plan_detail, name="plan_detail"),
    path("plans/<uuid:public_id>/timeline/", plans.plan_timeline, name="plan_timeline"),
    path("plans/<uuid:public_id>/export.xlsx", plans.plan_xlsx, name="plan_xlsx"),
    path("plans/<uuid:public_id>/pdf/", plans.plan_pdf, name="plan_pdf"),
    path("plans/<uuid:public_id>/sections/", plans.section_add, name="section_add"),
    path("plans/<uuid:public_id>/items/", plans.item_add, name="item_add"),
    path("plans/schools/<uuid:school>/<int:year>/", plans.school_plan, name="school_plan"),
    path("plans/schools/<uuid:school>/<int:year>/start/", plans.school_plan_start,
         name="school_plan_start"),
    path("plans/items/<uuid:public_id>/", plans.item_detail, name="item_detail"),
    path("plans/items/<uuid:public_id>/edit/", plans.item_edit, name="item_edit"),
    path("plans/items/<uuid:public_id>/complete/", plans.item_complete, name="item_complete"),
    path("plans/items/<uuid:public_id>/reopen/", plans.item_reopen, name="item_reopen"),
    path("plans/items/<uuid:public_id>/remove/", plans.item_remove, name="item_remove"),
    path("plans/overdue/", plans.overdue, name="overdue"),
    path("plans/schedule/", plans.schedule, name="schedule"),
    path("plans/schedule/stages/", plans.stage_add, name="stage_add"),
    path("plans/schedule/stages/<uuid:public_id>/", plans.stage_edit, name="stage_edit"),
    path("plans/schedule/stages/<uuid:public_id>/remove/", plans.stage_remove, name="stage_remove"),
]
