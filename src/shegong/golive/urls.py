from django.urls import path

from shegong.core import import_views
from shegong.golive import views

app_name = "golive"
ORG = {"kind": "org_import"}
STAFF = {"kind": "staff_import"}
RECORDS = {"kind": "records_import"}

urlpatterns = [
    path("organisation/import/", import_views.import_upload, ORG, name="org-import"),
    path("organisation/import/result/", import_views.import_result, ORG, name="org-import-result"),
    path(
        "organisation/import/problems.<str:fmt>",
        import_views.import_report,
        ORG,
        name="org-import-report",
    ),
    path("organisation/template.xlsx", import_views.import_template, ORG, name="org-template"),
    path("organisation/export.xlsx", views.org_export, name="org-export"),
    path("staff/import/", import_views.import_upload, STAFF, name="staff-import"),
    path("staff/import/result/", import_views.import_result, STAFF, name="staff-import-result"),
    path(
        "staff/import/problems.<str:fmt>",
        import_views.import_report,
        STAFF,
        name="staff-import-report",
    ),
    path("staff/template.xlsx", import_views.import_template, STAFF, name="staff-template"),
    path("records/import/", import_views.import_upload, RECORDS, name="records-import"),
    path(
        "records/import/result/",
        import_views.import_result,
        RECORDS,
        name="records-import-result",
    ),
    path(
        "records/import/problems.<str:fmt>",
        import_views.import_report,
        RECORDS,
        name="records-import-report",
    ),
    path("records/template.xlsx", import_views.import_template, RECORDS, name="records-template"),
    path("activate/<str:token>/", views.activate, name="activate"),
]
