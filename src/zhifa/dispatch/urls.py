from django.urls import path

from . import views

app_name = "dispatch"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("new/", views.report, name="report"),
    path("my/", views.my_tasks, name="my_tasks"),
    path("referrals/", views.referral_list, name="referral_list"),
    path("referrals/<int:referral_id>/receive/", views.referral_receive, name="referral_receive"),
    path("incidents/<int:incident_id>/", views.incident_detail, name="incident_detail"),
    path("incidents/<int:incident_id>/act/<str:action>/", views.act, name="act"),
    path("incidents/<int:incident_id>/disputes/", views.raise_dispute, name="raise_dispute"),
    path("incidents/<int:incident_id>/disputes/<int:dispute_id>/decision/", views.decide_dispute, name="decide_dispute"),
    path("incidents/<int:incident_id>/merge/<int:into_id>/", views.merge, name="merge"),
]
