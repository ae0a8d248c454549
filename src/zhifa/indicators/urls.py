"""Addresses of the indicators: the page, the provincial library, each drill-down."""

from django.urls import path

from . import views

app_name = "indicators"
urlpatterns = [
    path("", views.index, name="index"),
    path("library/", views.library, name="library"),
    path("<str:key>/<str:part>/", views.drilldown, name="drilldown"),
]
