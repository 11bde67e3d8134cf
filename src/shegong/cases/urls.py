from django.urls import path

from shegong.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="case-list"),
    path("open/<int:resident_pk>/", views.case_open, name="case-open"),
    path("<int:pk>/", views.case_detail, name="case-detail"),
    path("<int:pk>/assign/", views.case_assign, name="case-assign"),
    path("<int:pk>/<slug:step>/", views.case_step, name="case-step"),
    path("alerts/", views.alert_list, name="alert-list"),
    path("alerts/rules/", views.alert_rules, name="alert-rules"),
    path("alerts/<int:pk>/acknowledge/", views.alert_acknowledge, name="alert-acknowledge"),
    path("alerts/<int:pk>/resolve/", views.alert_resolve, name="alert-resolve"),
    path("access-log/", views.access_log, name="access-log"),
]
