"""Addresses of training: plans, a plan, a course, hours, qualification, support teams."""

from django.urls import path

from . import views

app_name = "training"
urlpatterns = [
    path("", views.plans, name="plans"),
    path("plans/<int:plan_id>/", views.plan, name="plan"),
    path("courses/<int:course_id>/", views.course, name="course"),
    path("hours/", views.hours, name="hours"),
    path("qualification/", views.qualification, name="qualification"),
    path("support/", views.support, name="support"),
]
