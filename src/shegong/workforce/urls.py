from django.urls import path

from shegong.workforce import hours_views, views

app_name = "workforce"

urlpatterns = [
    path("", views.staffing, name="staffing"),
    path("export.<str:fmt>", views.staffing_export, name="staffing-export"),
    path("me/", views.my_profile, name="my-profile"),
    path("stations/<int:pk>/", views.station_staffing, name="station"),
    path("stations/<int:pk>/new/", views.profile_create, name="profile-create"),
    path("stations/<int:pk>/hours/", hours_views.station_hours, name="station-hours"),
    path(
        "stations/<int:pk>/hours/export.<str:fmt>",
        hours_views.station_hours_export,
        name="station-hours-export",
    ),
    path("pay/", hours_views.pay_table, name="pay-table"),
    path("profiles/<int:pk>/", views.profile_detail, name="profile-detail"),
    path("profiles/<int:pk>/edit/", views.profile_edit, name="profile-edit"),
    path("profiles/<int:pk>/training/", views.training_add, name="training-add"),
    path("profiles/<int:pk>/supervision/", views.supervision_add, name="supervision-add"),
]
