from django.urls import path

from . import views

app_name = "parties"
urlpatterns = [
    path("", views.party_list, name="party_list"),
    path("<int:party_id>/", views.party_detail, name="party_detail"),
]
