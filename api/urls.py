from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from . import pages, views

app_name = "api"

urlpatterns = [
    # personal tokens (pages of the portal, signed in by session)
    path("tokens/", pages.token_create_view, name="token_create"),
    path("tokens/<uuid:public_id>/revoke/", pages.token_revoke_view, name="token_revoke"),
    # the read API, version 1 (a bearer token)
    path("v1/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("v1/docs/", pages.docs_view, name="docs"),
    path("v1/regions/", views.RegionList.as_view(), name="regions"),
    path("v1/municipalities/", views.MunicipalityList.as_view(), name="municipalities"),
    path("v1/school-years/", views.SchoolYearList.as_view(), name="school_years"),
    path("v1/risk-profiles/", views.RiskProfileList.as_view(), name="risk_profiles"),
    path("v1/documents/", views.DocumentList.as_view(), name="documents"),
    path("v1/curator-assignments/", views.AssignmentList.as_view(), name="assignments"),
    path("v1/engagement/", views.EngagementList.as_view(), name="engagement"),
    path("v1/dashboard/", views.Dashboard.as_view(), name="dashboard"),
    path("v1/training-coverage/", views.TrainingCoverage.as_view(), name="training_coverage"),
    path("v1/rma-coverage/", views.PoolCoverage.as_view(), name="rma_coverage"),
    path("v1/indicators/", views.IndicatorList.as_view(), name="indicators"),
]
