from django.urls import path

from shegong.delivery import import_views

app_name = "imports"

urlpatterns = [
    path("", import_views.import_upload, name="upload"),
    path("result/", import_views.import_result, name="result"),
    path("template.xlsx", import_views.import_template, name="template"),
    path("problems.<str:fmt>", import_views.import_report, name="report"),
]
