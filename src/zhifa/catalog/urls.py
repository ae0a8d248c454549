from django.urls import path

from . import edit_views, views

app_name = "catalog"
urlpatterns = [
    path("", views.item_list, name="item_list"),
    path("items/new/", edit_views.item_new, name="item_new"),
    path("items/<str:code>/", views.item_detail, name="item_detail"),
    path("items/<str:code>/edit/", edit_views.item_edit, name="item_edit"),
    path("items/<str:code>/retire/", edit_views.item_retire, name="item_retire"),
    path("items/<str:code>/claim/", edit_views.claim_one, name="claim_one"),
    path("claims/<int:claim_id>/withdraw/", edit_views.claim_withdraw, name="claim_withdraw"),
    path("claim/", edit_views.claim_page, name="claim_page"),
    path("import/", edit_views.import_upload, name="import_upload"),
    path("import/<int:import_id>/", edit_views.import_detail, name="import_detail"),
    path("export.xlsx", edit_views.export_template, name="export_template"),
    path("publish/", edit_views.publish_page, name="publish_page"),
    path("transfers/", edit_views.transfer_list, name="transfer_list"),
    path("townships/", views.township_list, name="township_home"),
    path("townships/<int:region_id>/", views.township_list, name="township_list"),
    path("townships/<int:region_id>/choose/", views.township_choose, name="township_choose"),
    path("claims/", views.claims_report, name="claims_report"),
    path("indicators/", views.indicators, name="indicators"),
    path("revisions/", views.revision_list, name="revision_list"),
    path("revisions/<int:revision_id>/", views.revision_detail, name="revision_detail"),
    path("revisions/<int:revision_id>/approve/", edit_views.revision_approve, name="revision_approve"),
    path("revisions/<int:revision_id>/reject/", edit_views.revision_reject, name="revision_reject"),
    path("public/", views.public_list, {"list_name": "master"}, name="public_master"),
    path(
        "public/comprehensive/",
        views.public_list,
        {"list_name": "comprehensive"},
        name="public_comprehensive",
    ),
    path(
        "public/professional/", views.public_list, {"list_name": "professional"}, name="public_professional"
    ),
    path(
        "public/key-supervision/",
        views.public_list,
        {"list_name": "key_supervision"},
        name="public_key_supervision",
    ),
    path("public/inspection/", views.public_list, {"list_name": "inspection"}, name="public_inspection"),
]
