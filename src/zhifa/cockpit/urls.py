"""Addresses of the cockpit: the screen, its fragment, the tables, refresh, PDF, drill-downs."""

from django.urls import path

from . import views

app_name = "cockpit"
urlpatterns = [
    path("", views.index, name="index"),
    path("screen/", views.screen, name="screen"),
    path("tables/", views.tables, name="tables"),
    path("refresh/", views.refresh, name="refresh"),
    path("indicators.pdf", views.indicators_pdf, name="indicators_pdf"),
    path("d/<str:key>/", views.drilldown, name="drilldown"),
]
