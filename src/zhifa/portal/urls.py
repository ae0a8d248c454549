from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.index, name="index"),
    path("credential/<str:token>/", views.credential_check, name="credential_check"),
    path("decisions/", views.decision_list, name="decision_list"),
    path("decisions/<int:publication_id>/", views.decision_detail, name="decision_detail"),
    path("draws/", views.draw_list, name="draw_list"),
    path("report/", views.report, name="report"),
    path("track/", views.track, name="track"),
    path("track/<str:code>/", views.track_code, name="track_code"),
    path("track/<str:code>/rate/", views.rate, name="rate"),
    path("track/<str:code>/reopen/", views.reopen, name="reopen"),
    path("staff/decisions/", views.staff_decisions, name="staff_decisions"),
    path("staff/decisions/publish/<int:case_id>/", views.publish, name="publish"),
    path("staff/decisions/<int:publication_id>/withdraw/", views.withdraw, name="withdraw"),
    path("staff/reports/<int:incident_id>/photo/", views.report_photo, name="report_photo"),
]
