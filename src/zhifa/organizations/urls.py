from django.urls import path

from . import authority_views, force_views, views

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
    path(
        "certificates/<int:certificate_id>/status/", force_views.certificate_status, name="certificate_status"
    ),
    path("certificates/<int:certificate_id>/end/", force_views.certificate_end, name="certificate_end"),
    path("townships/", force_views.township_list, name="township_list"),
    path("townships/<int:region_id>/", force_views.township_detail, name="township_detail"),
    path(
        "townships/<int:region_id>/coverages/<int:coverage_id>/remove/",
        force_views.township_uncover,
        name="township_uncover",
    ),
    path("users/", authority_views.user_list, name="user_list"),
    path("users/new/", authority_views.user_create, name="user_create"),
    path("users/<int:user_id>/", authority_views.user_detail, name="user_detail"),
    path("users/<int:user_id>/status/", authority_views.user_status, name="user_status"),
    path(
        "users/<int:user_id>/password/reset/",
        authority_views.user_password_reset,
        name="user_password_reset",
    ),
    path("users/<int:user_id>/role/", authority_views.user_main_role, name="user_main_role"),
    path("users/<int:user_id>/roles/revoke/", authority_views.user_revoke_role, name="user_revoke_role"),
    path("delegations/", authority_views.delegation_list, name="delegation_list"),
    path(
        "delegations/<int:delegation_id>/revoke/",
        authority_views.delegation_revoke,
        name="delegation_revoke",
    ),
]
