from django.urls import path

from . import views

app_name = "parties"
urlpatterns = [
    path("", views.party_list, name="party_list"),
    path("<int:party_id>/", views.party_detail, name="party_detail"),
    path("<int:party_id>/edit/", views.party_edit, name="party_edit"),
    path("<int:party_id>/facts/", views.party_facts, name="party_facts"),
    path("<int:party_id>/recompute/", views.party_recompute, name="party_recompute"),
    path("credit/", views.credit_rules, name="credit_rules"),
    path("credit/recompute/", views.credit_recompute, name="credit_recompute"),
    path("public/credit/", views.public_credit, name="public_credit"),
]
