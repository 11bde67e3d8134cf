from django.urls import path

from shegong.privacy import views

app_name = "privacy"

urlpatterns = [
    path("requests/", views.request_list, name="request-list"),
    path("requests/new/<int:resident>/", views.request_create, name="request-create"),
    path("requests/<int:pk>/", views.request_detail, name="request-detail"),
    path(
        "requests/<int:pk>/export.<str:fmt>",
        views.request_export,
        name="request-export",
    ),
]
