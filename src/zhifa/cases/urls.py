from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("on-spot/", views.open_on_spot, name="open_on_spot"),
    path("<int:case_id>/", views.case_detail, name="detail"),
    path("<int:case_id>/timeline/", views.case_timeline, name="timeline"),
    path("<int:case_id>/transition/", views.case_transition, name="transition"),
    path("<int:case_id>/evidence/", views.case_add_evidence, name="add_evidence"),
    path("<int:case_id>/documents/", views.case_issue_document, name="issue_document"),
    path("documents/<int:document_id>.pdf", views.document_pdf, name="document_pdf"),
    path("<int:case_id>/evidence/<int:evidence_id>/file/", views.evidence_file, name="evidence_file"),
]
