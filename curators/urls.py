from django.urls import path

from . import views

app_name = "curators"

urlpatterns = [
    path("", views.board, name="board"),
    path("assign/", views.bulk_assign, name="bulk_assign"),
    path("import/", views.curator_import, name="curator_import"),
    path("orders/new/", views.order_create, name="order_create"),
    path("orders/<uuid:public_id>/file/", views.order_file, name="order_file"),
    path("assignments/", views.assignment_list, name="assignment_list"),
    path("assignments/<uuid:public_id>/end/", views.assignment_end, name="assignment_end"),
    path("people/<uuid:public_id>/", views.curator_detail, name="curator_detail"),
    path("people/<uuid:public_id>/places/", views.affiliation_add, name="affiliation_add"),
    path("places/<uuid:public_id>/end/", views.affiliation_end, name="affiliation_end"),
    path("queue/", views.queue, name="queue"),
    path("log/", views.log, name="log"),
    path("log/new/", views.log_add, name="log_add"),
    path("log/<uuid:public_id>/file/", views.log_evidence, name="log_evidence"),
    path("log/<uuid:public_id>/remove/", views.log_remove, name="log_remove"),
    path("expertise/", views.expertise, name="expertise"),
    path("expertise/<uuid:school>/<int:year>/", views.sheet, name="sheet"),
    path("report/", views.report, name="report"),
    path("report/pdf/", views.report_pdf, name="report_pdf"),
]
