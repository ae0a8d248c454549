from django.urls import path

from . import views

app_name = "smart"
urlpatterns = [
    path("devices/", views.device_list, name="devices"),
    path("devices/new/", views.device_new, name="device_new"),
    path("devices/<int:device_id>/", views.device_detail, name="device"),
    path("devices/<int:device_id>/<slug:action>/", views.device_act, name="device_act"),
    path("events/", views.event_list, name="events"),
    path("events/<int:event_id>/", views.event_detail, name="event"),
    path("events/<int:event_id>/accept/", views.event_accept, name="event_accept"),
    path("events/<int:event_id>/discard/", views.event_discard, name="event_discard"),
    path("evidence/<int:evidence_id>/", views.evidence_file, name="evidence"),
    path("campaigns/", views.campaign_list, name="campaigns"),
    path("campaigns/<int:campaign_id>/", views.campaign_detail, name="campaign"),
    path("campaigns/<int:campaign_id>/report.pdf", views.campaign_report, name="campaign_report"),
    path("campaigns/<int:campaign_id>/<slug:action>/", views.campaign_act, name="campaign_act"),
    path("tasks/<int:task_id>/result/", views.task_result, name="task_result"),
    path("visits/", views.visit_measures, name="visits"),
    path("public/devices/", views.public_devices, name="public_devices"),
]
