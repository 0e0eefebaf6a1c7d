from django.urls import path

from . import views
from .views import cycle

app_name = "management"

urlpatterns = [
    path("", views.indicators_view, name="indicators"),
    path("catalogue/", views.catalogue_create_view, name="catalogue_create"),
    path("compute/", views.compute_view, name="compute"),
    path("calendar/", views.calendar_view, name="calendar"),
    path("calendar/new/", views.calendar_create_view, name="calendar_create"),
    path("calendar/<uuid:public_id>/done/", views.event_complete_view, name="event_complete"),
    path("calendar/<uuid:public_id>/result/", views.event_result_view, name="event_result"),
    path("recommendations/", views.recommendation_list_view, name="recommendations"),
    path("recommendations/new/", views.recommendation_new_view, name="recommendation_new"),
    path("recommendations/<uuid:public_id>/", views.recommendation_view,
         name="recommendation"),
    path("recommendations/<uuid:public_id>/act/", views.recommendation_act_view,
         name="recommendation_act"),
    path("recommendations/<uuid:public_id>/report/", views.recommendation_report_view,
         name="recommendation_report"),
    path("recommendations/<uuid:public_id>/file/", views.recommendation_file_view,
         name="recommendation_file"),
    path("recommendations/<uuid:public_id>/measure/", cycle.recommendation_measure_view,
         name="recommendation_measure"),
    path("decisions/", cycle.decision_list_view, name="decisions"),
    path("decisions/new/", cycle.decision_new_view, name="decision_new"),
    path("decisions/<uuid:public_id>/", cycle.decision_view, name="decision"),
    path("decisions/<uuid:public_id>/file/", cycle.decision_file_view, name="decision_file"),
    path("reports/", cycle.report_list_view, name="reports"),
    path("reports/start/", cycle.report_start_view, name="report_start"),
    path("reports/<uuid:public_id>/file/", cycle.report_file_view, name="report_file"),
    path("reports/<uuid:public_id>/approve/", cycle.report_approve_view,
         name="report_approve"),
    path("exit/", cycle.exit_list_view, name="exit_list"),
    path("exit/build/", cycle.exit_build_view, name="exit_build"),
    path("exit/review/", cycle.exit_review_view, name="exit_review"),
    path("exit/export/", cycle.exit_export_view, name="exit_export"),
    path("<uuid:public_id>/", views.indicator_view, name="indicator"),
    path("<uuid:public_id>/analysis/", cycle.analysis_view, name="analysis"),
    path("<uuid:public_id>/analysis.<str:fmt>", cycle.analysis_export_view,
         name="analysis_export"),
    path("<uuid:public_id>/conclusions/", cycle.conclusion_view, name="conclusion"),
    path("<uuid:public_id>/target/", views.target_set_view, name="target_set"),
    path("<uuid:public_id>/value/", views.value_enter_view, name="value_enter"),
    path("<uuid:public_id>/evidence/", views.evidence_view, name="evidence"),
]
