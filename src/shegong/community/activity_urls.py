from django.urls import path

from shegong.community.views import activities as views

app_name = "activities"

urlpatterns = [
    path("", views.activity_list, name="list"),
    path("new/", views.activity_create, name="create"),
    path("<int:pk>/", views.activity_detail, name="detail"),
    path("<int:pk>/close/", views.activity_close, name="close"),
    path("checkins/<int:pk>/decide/", views.checkin_decide, name="checkin-decide"),
    path("volunteers/<int:pk>/time-bank/", views.time_bank, name="time-bank"),
    path("volunteers/<int:pk>/redeem/", views.redeem, name="redeem"),
    path("volunteers/<int:pk>/donate/", views.donate, name="donate"),
    path("volunteers/<int:pk>/certificate/", views.certificate, name="certificate"),
]
