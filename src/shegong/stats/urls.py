from django.urls import path

from shegong.stats import views

app_name = "stats"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("districts/<int:district_pk>/", views.dashboard, name="district"),
    path("streets/<int:street_pk>/", views.dashboard, name="street"),
    path("stations/<int:station_pk>/", views.dashboard, name="station"),
    path("points/<int:point_pk>/", views.dashboard, name="point"),
    path("reports/<slug:name>.<str:fmt>", views.report, name="report"),
    path("reports/<slug:name>/job/", views.report_job, name="report-job"),
]
