from django.urls import path

from . import views

app_name = "training"

urlpatterns = [
    path("", views.course_list, name="course_list"),
    path("courses/new/", views.course_new, name="course_new"),
    path("courses/<uuid:public_id>/", views.course_detail, name="course"),
    path("courses/<uuid:public_id>/edit/", views.course_edit, name="course_edit"),
    path("courses/<uuid:public_id>/runs/new/", views.run_new, name="run_new"),
    path("runs/<uuid:public_id>/", views.run_detail, name="run"),
    path("runs/<uuid:public_id>/edit/", views.run_edit, name="run_edit"),
    path("runs/<uuid:public_id>/export.xlsx", views.run_export, name="run_export"),
    path("runs/<uuid:public_id>/enrol/", views.run_enrol, name="run_enrol"),
    path("runs/<uuid:public_id>/import/", views.run_import, name="run_import"),
    path("runs/<uuid:public_id>/complete/", views.run_complete, name="run_complete"),
    path("enrolments/<uuid:public_id>/", views.enrolment_edit, name="enrolment_edit"),
    path("staff/", views.staff_list, name="staff_list"),
    path("staff/new/<uuid:school_id>/", views.staff_new, name="staff_new"),
    path("staff/<uuid:public_id>/", views.staff_detail, name="staff"),
    path("staff/<uuid:public_id>/edit/", views.staff_edit, name="staff_edit"),
    path("coverage/", views.coverage_view, name="coverage"),
    path("routes/", views.route_list, name="route_list"),
    path("routes/new/", views.route_new, name="route_new"),
    path("routes/<uuid:public_id>/", views.route_detail, name="route"),
    path("routes/<uuid:public_id>/deficits/", views.route_deficit, name="route_deficit"),
    path("routes/<uuid:public_id>/deficits/<int:deficit_id>/close/", views.deficit_close,
         name="deficit_close"),
    path("routes/<uuid:public_id>/steps/", views.route_step, name="route_step"),
    path("routes/<uuid:public_id>/steps/<int:step_id>/done/", views.step_done,
         name="step_done"),
    path("routes/<uuid:public_id>/notes/", views.route_note, name="route_note"),
    path("routes/<uuid:public_id>/tutor/", views.route_tutor, name="route_tutor"),
    path("routes/<uuid:public_id>/finish/", views.route_finish, name="route_finish"),
]
