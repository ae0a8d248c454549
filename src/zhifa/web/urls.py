from django.urls import path

from . import views

app_name = "web"
urlpatterns = [
    path("", views.account, name="account"),
    path("password/", views.password_change, name="password_change"),
    path("sessions/others/end/", views.sign_out_others, name="sign_out_others"),
    path("sessions/<int:session_id>/end/", views.sign_out_session, name="sign_out_session"),
]
