from django.urls import path

from . import views

app_name = "risk_profiles"

urlpatterns = [
    path("", views.profile_list, name="profile_list"),
    path("new/", views.profile_create, name="profile_create"),
    path("<uuid:public_id>/", views.profile_detail, name="profile_detail"),
    path("<uuid:public_id>/edit/", views.profile_edit, name="profile_edit"),
    path("<uuid:public_id>/transition/", views.profile_transition, name="profile_transition"),
    path("distribution/", views.distribution, name="distribution"),
    path("matrix/", views.matrix, name="matrix"),
    path("matrix/export/", views.matrix_export, name="matrix_export"),
    path("catalogue/", views.catalogue, name="catalogue"),
    path("catalogue/copy/", views.catalogue_copy, name="catalogue_copy"),
    path("catalogue/factors/new/", views.factor_new, name="factor_new"),
    path("catalogue/factors/<int:pk>/", views.factor_edit, name="factor_edit"),
    path("catalogue/factors/<int:pk>/delete/", views.factor_delete, name="factor_delete"),
]
