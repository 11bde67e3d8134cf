from django.urls import path

from shegong.golive import views

app_name = "golive"

urlpatterns = [
    path("organisation/import/", views.org_import_upload, name="org-import"),
    path("organisation/import/result/", views.org_import_result, name="org-import-result"),
    path("organisation/import/problems.xlsx", views.org_import_report, name="org-import-report"),
    path("organisation/template.xlsx", views.org_template, name="org-template"),
    path("organisation/export.xlsx", views.org_export, name="org-export"),
    path("activate/<str:token>/", views.activate, name="activate"),
]
