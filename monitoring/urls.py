from django.urls import path

from . import views

app_name = "monitoring"

urlpatterns = [
    path("", views.dashboard_view, name="dashboard"),
    path("reports/", views.report_start_view, name="report_start"),
    path("engagement/recompute/", views.recompute_view, name="recompute"),
    path("engagement/<uuid:public_id>/", views.engagement_view, name="engagement"),
    path("engagement/<uuid:public_id>/confirm-all/", views.proposals_confirm_view,
         name="proposals_confirm"),
    path("engagement/component/<uuid:public_id>/confirm/", views.component_confirm_view,
         name="component_confirm"),
    path("rules/<int:year>/", views.rules_view, name="rules"),
]
