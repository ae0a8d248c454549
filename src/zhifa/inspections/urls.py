from django.urls import path

from . import views

app_name = "inspections"
urlpatterns = [
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/new/", views.plan_new, name="plan_new"),
    path("plans/<int:plan_id>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:plan_id>/draw/", views.plan_draw, name="plan_draw"),
    path("plans/<int:plan_id>/redraw/", views.plan_redraw, name="plan_redraw"),
    path("plans/<int:plan_id>/publish/", views.plan_publish, name="plan_publish"),
    path("mine/", views.my_work, name="my_work"),
    path("visits/", views.visit_list, name="visit_list"),
    path("visits/merge/", views.visit_merge, name="visit_merge"),
    path("visits/<int:visit_id>/record/", views.visit_record, name="visit_record"),
    path("tasks/<int:task_id>/record/", views.task_record, name="task_record"),
    path(
        "visits/<int:target_id>/assign/", views.assign_officer, {"kind": "visit"}, name="assign_visit_officer"
    ),
    path("tasks/<int:target_id>/assign/", views.assign_officer, {"kind": "task"}, name="assign_task_officer"),
    path("records/", views.record_list, name="record_list"),
    path("records/for-cause/", views.cause_record, name="cause_record"),
    path("records/<int:record_id>/", views.record_detail, name="record_detail"),
    path(
        "records/<int:record_id>/attachments/<int:attachment_id>/",
        views.attachment_file,
        name="attachment_file",
    ),
    path("records/<int:record_id>/handoff/", views.record_handoff, name="record_handoff"),
    path("records/<int:record_id>/rectification/", views.record_rectification, name="record_rectification"),
    path(
        "records/<int:record_id>/rectification/<int:order_id>/verify/",
        views.rectification_verify,
        name="rectification_verify",
    ),
    path("public/code/<str:token>/", views.public_code, name="public_code"),
    path("public/plans/", views.public_plans, name="public_plans"),
    path("public/draw/<int:plan_id>/", views.public_draw, name="public_draw"),
]
