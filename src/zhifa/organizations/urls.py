from django.urls import path

from . import views

app_name = "organizations"
urlpatterns = [
    path("officers/", views.officer_list, name="officer_list"),
    path("officers/new/", views.officer_create, name="officer_create"),
    path("officers/<int:officer_id>/", views.officer_detail, name="officer_detail"),
    path("officers/<int:officer_id>/certificates/", views.add_certificate, name="add_certificate"),
    path("officers/<int:officer_id>/posting/", views.post_officer, name="post_officer"),
    path("officers/<int:officer_id>/credential/rotate/", views.rotate_credential, name="rotate_credential"),
    path("officers/<int:officer_id>/credential/", views.officer_credential, name="officer_credential"),
    path("credential/", views.my_credential, name="my_credential"),
    path("tree/", views.organization_tree, name="organization_tree"),
]
