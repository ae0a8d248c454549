from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from zhifa.api.api import api
from zhifa.web import views as web_views

urlpatterns = [
    path("", web_views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", include("zhifa.web.urls")),
    path("org/", include("zhifa.organizations.urls")),
    path("catalog/", include("zhifa.catalog.urls")),
    path("parties/", include("zhifa.parties.urls")),
    path("inspections/", include("zhifa.inspections.urls")),
    path("discretion/", include("zhifa.discretion.urls")),
    path("cases/", include("zhifa.cases.urls")),
    path("measures/", include("zhifa.measures.urls")),
    path("dispatch/", include("zhifa.dispatch.urls")),
    path("supervision/", include("zhifa.supervision.urls")),
    path("cockpit/", include("zhifa.cockpit.urls")),
    path("calendar/", include("zhifa.core.calendar_urls")),
    path("indicators/", include("zhifa.indicators.urls")),
    path("training/", include("zhifa.training.urls")),
    path("reports/", include("zhifa.reports.urls")),
    path("public/", include("zhifa.portal.urls")),
    path("integrations/", include("zhifa.integrations.urls")),
    path("party/", include("zhifa.partyspace.urls")),
    path("smart/", include("zhifa.smart.urls")),
    path("api/v1/", api.urls),
    path("api-keys/", include("zhifa.api.urls")),
    path("admin/", admin.site.urls),
    path("", include("zhifa.core.urls")),  # /healthz, /readyz
    path("", include("django_prometheus.urls")),  # /metrics (nginx keeps it internal)
]
