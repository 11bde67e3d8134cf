from django.urls import path

from shegong.rosters import views

app_name = "rosters"

urlpatterns = [
    path("import/", views.import_upload, name="import"),
    path("import/result/", views.import_result, name="import-result"),
    path("import/template.xlsx", views.import_template, name="import-template"),
    path("import/problems.<str:fmt>", views.import_report, name="import-report"),
    path("outreach/", views.outreach_list, name="outreach"),
    path("entries/<int:pk>/", views.entry_detail, name="entry"),
    path("entries/<int:pk>/visit/", views.visit_record, name="visit"),
    path("coverage/", views.coverage, name="coverage"),
    path("coverage/job/", views.coverage_job, name="coverage-job"),
    path("rules/", views.visit_rules, name="rules"),
]
