from django.urls import path

from . import edit_views, views

app_name = "discretion"
urlpatterns = [
    path("", views.baseline_list, name="baseline_list"),
    path("baselines/new/", edit_views.baseline_new, name="baseline_new"),
    path("baselines/<int:baseline_id>/", views.baseline_detail, name="baseline_detail"),
    path("baselines/<int:baseline_id>/approve/", views.baseline_approve, name="baseline_approve"),
    path("import/", views.baseline_import, name="baseline_import"),
    path("export/", views.baseline_export, name="baseline_export"),
    path("lists/", views.entry_list, name="entry_list"),
    path("lists/new/", edit_views.entry_new, name="entry_new"),
    path("lists/review/", edit_views.entry_review, name="entry_review"),
    path("lists/<int:entry_id>/approve/", edit_views.entry_approve, name="entry_approve"),
    path("recommend/", views.recommend, name="recommend"),
    path("public/<str:kind>/", views.public_list, name="public_list"),
]
