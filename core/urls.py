from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("profile/", views.profile, name="profile"),
    path("profile/password/", views.password_change, name="password_change"),
    path("audit/", views.audit_list, name="audit_list"),
    path("audit/export/", views.audit_export, name="audit_export"),
    path("notifications/", views.notification_list, name="notification_list"),
    path("notifications/read/", views.notification_read_all, name="notification_read_all"),
    path("notifications/settings/", views.notification_settings,
         name="notification_settings"),
    path("notifications/<uuid:public_id>/open/", views.notification_open,
         name="notification_open"),
    path("jobs/", views.job_list, name="job_list"),
    path("jobs/<uuid:public_id>/", views.job_detail, name="job_detail"),
    path("jobs/<uuid:public_id>/restart/", views.job_restart_view, name="job_restart"),
    path("jobs/<uuid:public_id>/status/", views.job_status, name="job_status"),
    path("jobs/<uuid:public_id>/download/", views.job_download, name="job_download"),
]
