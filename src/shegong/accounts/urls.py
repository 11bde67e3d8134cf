from django.urls import path

from shegong.accounts import two_factor, views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("two-factor/", two_factor.enrol, name="otp-enrol"),
    path("two-factor/verify/", two_factor.verify, name="otp-verify"),
]
