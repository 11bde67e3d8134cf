from django.urls import path

from shegong.cases import document_views, library_views, scoring_views, signoff_views, views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="case-list"),
    path("open/<int:resident_pk>/", views.case_open, name="case-open"),
    path("<int:pk>/", views.case_detail, name="case-detail"),
    path("<int:pk>/assign/", views.case_assign, name="case-assign"),
    path("<int:pk>/nominate/", library_views.library_nominate, name="case-nominate"),
    path("<int:pk>/documents/", document_views.document_add, name="document-add"),
    path("<int:pk>/tools/<slug:code>/", scoring_views.case_score, name="case-score"),
    path("<int:pk>/<slug:step>/", views.case_step, name="case-step"),
    path(
        "residents/<int:resident_pk>/documents/",
        document_views.resident_document_add,
        name="resident-document-add",
    ),
    path("documents/<int:pk>/", document_views.document_download, name="document-download"),
    path("documents/<int:pk>/delete/", document_views.document_delete, name="document-delete"),
    path("signoffs/", signoff_views.signoff_list, name="signoff-list"),
    path("signoffs/settings/", signoff_views.signoff_settings, name="signoff-settings"),
    path("signoffs/<int:pk>/approve/", signoff_views.signoff_approve, name="signoff-approve"),
    path("signoffs/<int:pk>/return/", signoff_views.signoff_return, name="signoff-return"),
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
