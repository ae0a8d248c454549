from django.urls import path

from . import views

app_name = "measures"
urlpatterns = [
    path("", views.index, name="index"),
    path("cases/<int:case_id>/", views.case_page, name="case"),
    path("cases/<int:case_id>/act/<slug:name>/", views.act, name="act"),
    path("<slug:kind>/<int:record_id>/act/<slug:name>/", views.record_act, name="record_act"),
    path("documents/<int:document_id>.pdf", views.document_pdf, name="document_pdf"),
]
