from django.urls import path

from . import calendar_views as views

app_name = "calendar"

urlpatterns = [
    path("", views.calendar_now, name="year_now"),
    path("<int:year>/", views.calendar_year, name="year"),
    path("<int:year>/days/", views.set_day, name="set_day"),
    path("<int:year>/announcement/", views.import_announcement, name="import"),
    path("days/<int:entry_id>/remove/", views.remove_day, name="remove_day"),
]
