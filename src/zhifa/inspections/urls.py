from django.urls import path

from . import views

app_name = "inspections"
urlpatterns = [
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/<int:plan_id>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:plan_id>/draw/", views.plan_draw, name="plan_draw"),
    path("plans/<int:plan_id>/publish/", views.plan_publish, name="plan_publish"),
    path("visits/", views.visit_list, name="visit_list"),
    path("visits/<int:visit_id>/record/", views.visit_record, name="visit_record"),
    path("records/", views.record_list, name="record_list"),
    path("records/<int:record_id>/", views.record_detail, name="record_detail"),
    path("records/<int:record_id>/attachments/<int:attachment_id>/", views.attachment_file, name="attachment_file"),
    path("records/<int:record_id>/handoff/", views.record_handoff, name="record_handoff"),
    path("records/<int:record_id>/rectification/", views.record_rectification, name="record_rectification"),
    path("public/code/<str:token>/", views.public_code, name="public_code"),
    path("public/draw/<int:plan_id>/", views.public_draw, name="public_draw"),
]
