from django.urls import path

from shegong.core import import_views
from shegong.rosters import views

app_name = "rosters"
KIND = {"kind": "roster_import"}

urlpatterns = [
    path("import/", import_views.import_upload, KIND, name="import"),
    path("import/result/", import_views.import_result, KIND, name="import-result"),
    path("import/template.xlsx", import_views.import_template, KIND, name="import-template"),
    path("import/problems.<str:fmt>", import_views.import_report, KIND, name="import-report"),
    path("outreach/", views.outreach_list, name="outreach"),
    path("entries/<int:pk>/", views.entry_detail, name="entry"),
    path("entries/<int:pk>/visit/", views.visit_record, name="visit"),
    path("coverage/", views.coverage, name="coverage"),
    path("coverage/job/", views.coverage_job, name="coverage-job"),
    path("rules/", views.visit_rules, name="rules"),
]
