from django.urls import path

from . import views

app_name = "schools"

urlpatterns = [
    path("", views.school_list, name="school_list"),
    path("export/", views.school_export, name="school_export"),
    path("thresholds/", views.thresholds, name="thresholds"),
    path("imports/", views.import_list, name="import_list"),
    path("imports/new/", views.import_new, name="import_new"),
    path("imports/<uuid:public_id>/", views.import_detail, name="import_detail"),
    path("imports/<uuid:public_id>/mapping/", views.import_mapping, name="import_mapping"),
    path("imports/<uuid:public_id>/apply/", views.import_apply, name="import_apply"),
    path("imports/<uuid:public_id>/territories/", views.import_territories,
         name="import_territories"),
    path("imports/<uuid:public_id>/file/", views.import_file, name="import_file"),
    path("<uuid:public_id>/", views.school_detail, name="school_detail"),
]
