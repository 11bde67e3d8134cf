from django.urls import path

from shegong.core import audit_views, job_views, views

app_name = "core"

urlpatterns = [
    path("audit/", audit_views.audit_log, name="audit-log"),
    path("jobs/", job_views.job_list, name="job-list"),
    path("jobs/<int:pk>/", job_views.job_detail, name="job-detail"),
    path("jobs/<int:pk>/progress/", job_views.job_progress, name="job-progress"),
    path("jobs/<int:pk>/retry/", job_views.job_retry, name="job-retry"),
    path("jobs/<int:pk>/file/", job_views.job_file, name="job-file"),
    path("healthz", views.health, name="health"),
]
