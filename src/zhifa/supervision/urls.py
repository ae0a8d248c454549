"""Addresses of supervision: alerts, notices, reviews, appraisals, 执法评议, the public
questionnaire and consultations."""

from django.urls import path

from . import appraisal_views, consultation_views, evaluation_views, views

app_name = "supervision"
urlpatterns = [
    path("alerts/", views.alerts, name="alerts"),
    path("alerts/<int:alert_id>/", views.alert_detail, name="alert_detail"),
    path("alerts/<int:alert_id>/<str:action>/", views.alert_action, name="alert_action"),
    path("notices/", views.notices, name="notices"),
    path("notices/new/", views.notice_new, name="notice_new"),
    path("notices/<int:notice_id>/", views.notice_detail, name="notice_detail"),
    path("reviews/", views.reviews, name="reviews"),
    path("reviews/batches/<int:batch_id>/", views.review_batch, name="review_batch"),
    path("reviews/<int:review_id>/", views.review_detail, name="review_detail"),
    path("appraisals/", views.appraisals, name="appraisals"),
    path("appraisals/schemes/new/", views.scheme_new, name="scheme_new"),
    path("appraisals/<int:result_id>/", views.appraisal_detail, name="appraisal_detail"),
    path("appraisals/bodies/", appraisal_views.bodies, name="body_appraisals"),
    path("appraisals/bodies/<int:appraisal_id>/", appraisal_views.body_appraisal, name="body_appraisal"),
    path(
        "appraisals/bodies/<int:appraisal_id>/report.<str:fmt>",
        appraisal_views.body_appraisal_report,
        name="body_appraisal_report",
    ),
    path("evaluation/", evaluation_views.campaigns, name="campaigns"),
    path("evaluation/<int:campaign_id>/", evaluation_views.campaign, name="campaign"),
    path("evaluation/findings/", evaluation_views.findings, name="findings"),
    path("survey/<str:token>/", evaluation_views.survey, name="survey"),
    path("consultations/", consultation_views.consultations, name="consultations"),
    path("consultations/<int:consultation_id>/", consultation_views.consultation_detail, name="consultation"),
]
