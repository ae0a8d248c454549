from django.urls import path

from . import views

app_name = "discretion"
urlpatterns = [
    path("", views.baseline_list, name="baseline_list"),
    path("baselines/<int:baseline_id>/", views.baseline_detail, name="baseline_detail"),
    path("baselines/<int:baseline_id>/approve/", views.baseline_approve, name="baseline_approve"),
    path("import/", views.baseline_import, name="baseline_import"),
    path("export/", views.baseline_export, name="baseline_export"),
    path("lists/", views.entry_list, name="entry_list"),
    path("recommend/", views.recommend, name="recommend"),
    path("public/<str:kind>/", views.public_list, name="public_list"),
]
