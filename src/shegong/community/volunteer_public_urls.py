from django.urls import path

from shegong.community import volunteer_public

app_name = "volunteer-public"

urlpatterns = [
    path("checkin/<str:activity_token>/", volunteer_public.checkin, name="checkin"),
    path("join/<str:activity_token>/", volunteer_public.resident_signup, name="resident-signup"),
    path("signup/<str:token>/", volunteer_public.signup, name="signup"),
    path("me/<str:token>/", volunteer_public.home, name="home"),
    path("me/<str:token>/late/", volunteer_public.late_entry, name="late-entry"),
    path(
        "me/<str:token>/join/<str:activity_token>/",
        volunteer_public.sign_up,
        name="sign-up",
    ),
]
