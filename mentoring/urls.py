from django.urls import path

from . import views

app_name = "mentoring"

urlpatterns = [
    path("", views.pair_list_view, name="pairs"),
    path("new/", views.pair_new_view, name="pair_new"),
    path("<uuid:public_id>/", views.pair_view, name="pair"),
    path("<uuid:public_id>/agreement/", views.pair_agreement_view, name="pair_agreement"),
    path("<uuid:public_id>/end/", views.pair_end_view, name="pair_end"),
    path("<uuid:public_id>/activities/", views.activity_add_view, name="activity_add"),
    path("activities/<uuid:public_id>/evidence/", views.activity_evidence_view,
         name="activity_evidence"),
]
