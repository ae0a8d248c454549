from django.urls import path

from . import views

app_name = "dispatch"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("new/", views.report, name="report"),
    path("found/", views.find, name="find"),
    path("my/", views.my_tasks, name="my_tasks"),
    path("triage/", views.triage, name="triage"),
    path("triage/<int:incident_id>/assign/", views.triage_assign, name="triage_assign"),
    path("checks/", views.checks, name="checks"),
    path("checks/<int:check_id>/finish/", views.check_finish, name="check_finish"),
    path("routing/", views.routing_figures, name="routing"),
    path("routing/retrain/", views.routing_retrain, name="routing_retrain"),
    path("photos/<int:photo_id>/", views.photo, name="photo"),
    path("referrals/", views.referral_list, name="referral_list"),
    path("referrals/<int:referral_id>/receive/", views.referral_receive, name="referral_receive"),
    path("incidents/<int:incident_id>/", views.incident_detail, name="incident_detail"),
    path("incidents/<int:incident_id>/phone/", views.reveal_phone, name="reveal_phone"),
    path("incidents/<int:incident_id>/act/<str:action>/", views.act, name="act"),
    path("incidents/<int:incident_id>/disputes/", views.raise_dispute, name="raise_dispute"),
    path(
        "incidents/<int:incident_id>/disputes/<int:dispute_id>/decision/",
        views.decide_dispute,
        name="decide_dispute",
    ),
    path("incidents/<int:incident_id>/merge/<int:into_id>/", views.merge, name="merge"),
]
