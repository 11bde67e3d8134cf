from django.urls import path

from shegong.golive import import_views, views

app_name = "golive"

urlpatterns = [
    path("organisation/import/", views.org_import_upload, name="org-import"),
    path("organisation/import/result/", views.org_import_result, name="org-import-result"),
    path("organisation/import/problems.xlsx", views.org_import_report, name="org-import-report"),
    path("organisation/template.xlsx", views.org_template, name="org-template"),
    path("organisation/export.xlsx", views.org_export, name="org-export"),
    path("staff/import/", import_views.staff_import_upload, name="staff-import"),
    path("staff/template.xlsx", import_views.staff_template, name="staff-template"),
    path("records/import/", import_views.records_import_upload, name="records-import"),
    path(
        "records/import/result/", import_views.records_import_result, name="records-import-result"
    ),
    path(
        "records/import/problems.xlsx",
        import_views.records_import_report,
        name="records-import-report",
    ),
    path("records/template.xlsx", import_views.records_template, name="records-template"),
    path("activate/<str:token>/", views.activate, name="activate"),
]
