from django.urls import path

from . import views

app_name = "methodists"

urlpatterns = [
    path("", views.methodist_list, name="list"),
    path("export.xlsx", views.methodist_export, name="export"),
    path("new/", views.methodist_new, name="new"),
    path("import/", views.pool_import, name="import"),
    path("subjects/", views.by_subject, name="subjects"),
    path("coverage/", views.coverage, name="coverage"),
    path("<uuid:public_id>/", views.methodist_detail, name="detail"),
    path("<uuid:public_id>/edit/", views.methodist_edit, name="edit"),
]
