from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("credential/<str:token>/", views.credential_check, name="credential_check"),
]
