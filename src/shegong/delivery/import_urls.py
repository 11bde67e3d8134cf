from django.urls import path

from shegong.core import import_views

app_name = "imports"
KIND = {"kind": "service_import"}

urlpatterns = [
    path("", import_views.import_upload, KIND, name="upload"),
    path("result/", import_views.import_result, KIND, name="result"),
    path("template.xlsx", import_views.import_template, KIND, name="template"),
    path("problems.<str:fmt>", import_views.import_report, KIND, name="report"),
]
