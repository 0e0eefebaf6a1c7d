from django.urls import path

from . import views

app_name = "roadmaps"

urlpatterns = [
    path("", views.document_list, name="document_list"),
    path("kinds/", views.kinds, name="kinds"),
    path("kinds/load/", views.kinds_load, name="kinds_load"),
    path("schools/<uuid:school>/<int:year>/", views.checklist, name="checklist"),
    path("schools/<uuid:school>/<int:year>/upload/", views.document_upload,
         name="document_upload"),
    path("<uuid:public_id>/", views.document_detail, name="document_detail"),
    path("<uuid:public_id>/versions/new/", views.version_upload, name="version_upload"),
    path("<uuid:public_id>/action/", views.document_action, name="document_action"),
    path("<uuid:public_id>/decision/", views.document_decide, name="document_decide"),
    path("<uuid:public_id>/comments/", views.comment_add, name="comment_add"),
    path("<uuid:public_id>/compare/", views.version_compare, name="version_compare"),
    path("versions/<uuid:public_id>/file/", views.version_download, name="version_download"),
]
