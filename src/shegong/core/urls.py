from django.urls import path

from shegong.core import audit_views, views

app_name = "core"

urlpatterns = [
    path("audit/", audit_views.audit_log, name="audit-log"),
    path("healthz", views.health, name="health"),
]
