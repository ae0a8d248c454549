from django.urls import path

from . import views

app_name = "integrations"
urlpatterns = [
    path("deliveries/", views.deliveries, name="deliveries"),
    path("deliveries/<int:delivery_id>/replay/", views.replay, name="replay"),
    path("post-approval-checks/", views.post_approval_checks, name="post_approval_checks"),
    path(
        "post-approval-checks/<int:check_id>/finish/", views.finish_post_approval_check, name="finish_check"
    ),
    path("parties/<int:party_id>/approvals/", views.party_approvals, name="party_approvals"),
]
