from django.urls import path

from shegong.privacy import export_views, views

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
    path("exports/", export_views.export_list, name="export-list"),
    path("exports/new/", export_views.export_create, name="export-create"),
    path("exports/<int:pk>/", export_views.export_detail, name="export-detail"),
    path(
        "exports/<int:pk>/download.<str:fmt>",
        export_views.export_download,
        name="export-download",
    ),
    path("cases/<int:pk>/pdf/", export_views.case_pdf, name="case-pdf"),
]
