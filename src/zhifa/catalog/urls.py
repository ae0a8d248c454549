from django.urls import path

from . import views

app_name = "catalog"
urlpatterns = [
    path("", views.item_list, name="item_list"),
    path("items/<str:code>/", views.item_detail, name="item_detail"),
    path("townships/", views.township_list, name="township_home"),
    path("townships/<int:region_id>/", views.township_list, name="township_list"),
    path("townships/<int:region_id>/choose/", views.township_choose, name="township_choose"),
    path("claims/", views.claims_report, name="claims_report"),
    path("indicators/", views.indicators, name="indicators"),
    path("revisions/", views.revision_list, name="revision_list"),
    path("revisions/<int:revision_id>/", views.revision_detail, name="revision_detail"),
    path("revisions/<int:revision_id>/approve/", views.revision_approve, name="revision_approve"),
    path("public/professional/", views.public_list, {"list_name": "professional"}, name="public_professional"),
    path("public/key-supervision/", views.public_list, {"list_name": "key_supervision"}, name="public_key_supervision"),
]
