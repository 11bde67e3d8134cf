from django.urls import path

from shegong.agenda import views

app_name = "agenda"

urlpatterns = [
    path("", views.calendar_home, name="calendar"),
    path("stations/<int:pk>/", views.station_calendar, name="station-calendar"),
    path("stations/<int:pk>/book/", views.appointment_book, name="appointment-book"),
    path("appointments/<int:pk>/", views.appointment_detail, name="appointment-detail"),
    path(
        "appointments/<int:pk>/<slug:transition>/",
        views.appointment_transition,
        name="appointment-transition",
    ),
    path("stations/<int:pk>/plan/", views.planned_add, name="planned-add"),
    path("planned/<int:pk>/", views.planned_detail, name="planned-detail"),
    path("planned/<int:pk>/cancel/", views.planned_cancel, name="planned-cancel"),
    path("feed/", views.feed_page, name="feed"),
    path("feed/<str:token>.ics", views.feed_ics, name="feed-ics"),
]
