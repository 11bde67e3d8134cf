from django.urls import path

from shegong.org import views

app_name = "org"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("export.<str:fmt>", views.directory_export, name="directory-export"),
    path("stations/<int:pk>/", views.station_detail, name="station-detail"),
    path("stations/<int:pk>/points/new/", views.point_create, name="point-create"),
    path("points/<int:pk>/edit/", views.point_edit, name="point-edit"),
]
