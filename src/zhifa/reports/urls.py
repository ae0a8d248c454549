"""Addresses of the reports: the list and request form, a report, its progress and files."""

from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.runs, name="list"),
    path("<int:run_id>/", views.detail, name="detail"),
    path("<int:run_id>/progress/", views.progress, name="progress"),
    path("<int:run_id>/report.<str:fmt>", views.download, name="download"),
]
