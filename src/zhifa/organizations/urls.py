from django.urls import path

from . import views

app_name = "organizations"
urlpatterns = [
    path("officers/", views.officer_list, name="officer_list"),
    path("officers/<int:officer_id>/", views.officer_detail, name="officer_detail"),
    path("tree/", views.organization_tree, name="organization_tree"),
]
