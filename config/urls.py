from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django_prometheus.exports import ExportToDjangoView

from core.health import PortalHealthView
from core.middleware import read_action
from core.views import PortalLoginView

admin.site.site_header = "Портал «500+»: администрирование"
admin.site.site_title = "Портал «500+»"
admin.site.index_title = "Администрирование"

urlpatterns = [
    path("health/", PortalHealthView.as_view(), name="health"),
    # Prometheus scrapes each host directly; nginx does not pass /metrics from outside
    path("metrics", ExportToDjangoView, name="metrics"),
    path("login/", PortalLoginView.as_view(), name="login"),
    path("logout/", read_action(auth_views.LogoutView.as_view()), name="logout"),
    path("admin/", admin.site.urls),
    path("schools/", include("schools.urls")),
    path("curators/", include("curators.urls")),
    path("risks/", include("risk_profiles.urls")),
    path("documents/", include("roadmaps.urls")),
    path("monitoring/", include("monitoring.urls")),
    path("indicators/", include("management.urls")),
    path("mentoring/", include("mentoring.urls")),
    path("api/", include("api.urls")),
    path("methodists/", include("methodists.urls")),
    path("training/", include("training.urls")),
    path("contests/", include("contests.urls")),
    path("", include("core.urls")),
]

handler403 = "core.errors.forbidden"
handler404 = "core.errors.not_found"
handler500 = "core.errors.server_error"
