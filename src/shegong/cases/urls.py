from django.urls import path

from shegong.cases import library_views, scoring_views, views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="case-list"),
    path("open/<int:resident_pk>/", views.case_open, name="case-open"),
    path("<int:pk>/", views.case_detail, name="case-detail"),
    path("<int:pk>/assign/", views.case_assign, name="case-assign"),
    path("<int:pk>/nominate/", library_views.library_nominate, name="case-nominate"),
    path("<int:pk>/tools/<slug:code>/", scoring_views.case_score, name="case-score"),
    path("<int:pk>/<slug:step>/", views.case_step, name="case-step"),
    path("alerts/", views.alert_list, name="alert-list"),
    path("alerts/rules/", views.alert_rules, name="alert-rules"),
    path("alerts/<int:pk>/acknowledge/", views.alert_acknowledge, name="alert-acknowledge"),
    path("alerts/<int:pk>/resolve/", views.alert_resolve, name="alert-resolve"),
    path("access-log/", views.access_log, name="access-log"),
    path("library/", library_views.library_list, name="library-list"),
    path("library/review/", library_views.library_queue, name="library-queue"),
    path("library/<int:pk>/", library_views.library_detail, name="library-detail"),
    path("library/<int:pk>/edit/", library_views.library_edit, name="library-edit"),
    path("library/<int:pk>/publish/", library_views.library_publish, name="library-publish"),
    path("library/<int:pk>/return/", library_views.library_return, name="library-return"),
]
