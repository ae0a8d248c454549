from django.urls import path

from . import views

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
    path("appraisals/<int:result_id>/", views.appraisal_detail, name="appraisal_detail"),
]
