from django.urls import path

from shegong.workforce import views

app_name = "workforce"

urlpatterns = [
    path("", views.staffing, name="staffing"),
    path("export.<str:fmt>", views.staffing_export, name="staffing-export"),
    path("me/", views.my_profile, name="my-profile"),
    path("stations/<int:pk>/", views.station_staffing, name="station"),
    path("stations/<int:pk>/new/", views.profile_create, name="profile-create"),
    path("profiles/<int:pk>/", views.profile_detail, name="profile-detail"),
    path("profiles/<int:pk>/edit/", views.profile_edit, name="profile-edit"),
    path("profiles/<int:pk>/training/", views.training_add, name="training-add"),
    path("profiles/<int:pk>/supervision/", views.supervision_add, name="supervision-add"),
]
