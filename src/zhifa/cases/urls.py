from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("on-spot/", views.open_on_spot, name="open_on_spot"),
    path("approvals/", views.inbox.inbox, name="approvals"),
    path("approvals/<int:approval_id>/decide/", views.inbox.decide, name="approval_decide"),
    path("approvals/<int:approval_id>/withdraw/", views.inbox.withdraw, name="approval_withdraw"),
    path("reviews/", views.review.queue, name="reviews"),
    path("reviews/stats/", views.review.statistics, name="review_stats"),
    path("reviews/<int:review_id>/", views.review.review_detail, name="review_detail"),
    path("reviews/<int:review_id>/claim/", views.review.claim, name="review_claim"),
    path("reviews/<int:review_id>/assign/", views.review.assign, name="review_assign"),
    path("reviews/<int:review_id>/record/", views.review.record, name="review_record"),
    path("review-catalogue/", views.review.catalogue, name="review_catalogue"),
    path("review-catalogue/add/", views.review.catalogue_add, name="review_catalogue_add"),
    path(
        "review-catalogue/<int:entry_id>/retire/",
        views.review.catalogue_retire,
        name="review_catalogue_retire",
    ),
    path("<int:case_id>/", views.case_detail, name="detail"),
    path("<int:case_id>/act/<slug:name>/", views.case_act, name="act"),
    path("<int:case_id>/timeline/", views.case_timeline, name="timeline"),
    path("<int:case_id>/evidence/", views.case_add_evidence, name="add_evidence"),
    path("<int:case_id>/documents/", views.case_issue_document, name="issue_document"),
    path("documents/<int:document_id>.pdf", views.document_pdf, name="document_pdf"),
    path("<int:case_id>/evidence/<int:evidence_id>/file/", views.evidence_file, name="evidence_file"),
]
