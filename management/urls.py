from django.urls import path

from . import views

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
    path("<uuid:public_id>/", views.indicator_view, name="indicator"),
    path("<uuid:public_id>/target/", views.target_set_view, name="target_set"),
    path("<uuid:public_id>/value/", views.value_enter_view, name="value_enter"),
    path("<uuid:public_id>/evidence/", views.evidence_view, name="evidence"),
]
