from django.urls import path

from shegong.evaluation import sampling_views, views

app_name = "evaluation"

urlpatterns = [
    path("", views.round_list, name="round-list"),
    path("rounds/new/", views.round_create, name="round-create"),
    path("rounds/<int:pk>/", views.round_detail, name="round-detail"),
    path("rounds/<int:pk>/export/", views.round_export, name="round-export"),
    path("rounds/<int:pk>/groups/", views.round_group_add, name="round-group-add"),
    path("rounds/<int:pk>/indicators/", views.round_indicator_add, name="round-indicator-add"),
    path("rounds/<int:pk>/assignments/", views.round_assign, name="round-assign"),
    path("rounds/<int:pk>/<str:action>/", views.round_transition, name="round-transition"),
    path("assignments/<int:pk>/remove/", views.assignment_remove, name="assignment-remove"),
    path("sheets/<int:pk>/", views.sheet_detail, name="sheet-detail"),
    path("sheets/<int:pk>/pdf/", views.sheet_pdf, name="sheet-pdf"),
    path("sheets/<int:pk>/score/", views.sheet_score, name="sheet-score"),
    path("sheets/<int:pk>/evidence/", views.sheet_evidence, name="sheet-evidence"),
    path("sheets/<int:pk>/submit/", views.sheet_submit, name="sheet-submit"),
    path("sheets/<int:pk>/reply/", views.sheet_reply, name="sheet-reply"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence-download"),
    path("sheets/<int:pk>/sample/", sampling_views.sample_detail, name="sample-detail"),
    path("sheets/<int:pk>/sample/draw/", sampling_views.sample_draw, name="sample-draw"),
    path("sheets/<int:pk>/sample/export/", sampling_views.sample_export, name="sample-export"),
    path(
        "sample-entries/<int:pk>/reveal/", sampling_views.entry_reveal, name="sample-entry-reveal"
    ),
    path(
        "sample-entries/<int:pk>/record/", sampling_views.entry_record, name="sample-entry-record"
    ),
    path("inspections/", views.inspection_list, name="inspection-list"),
    path("inspections/new/", views.inspection_create, name="inspection-create"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection-detail"),
    path("inspections/<int:pk>/pdf/", views.inspection_pdf, name="inspection-pdf"),
    path(
        "inspections/<int:pk>/rectifications/",
        views.rectification_add,
        name="rectification-add",
    ),
    path("rectifications/<int:pk>/", views.rectification_detail, name="rectification-detail"),
    path(
        "rectifications/<int:pk>/submit/",
        views.rectification_submit,
        name="rectification-submit",
    ),
    path(
        "rectifications/<int:pk>/evidence/",
        views.rectification_evidence,
        name="rectification-evidence",
    ),
    path(
        "rectifications/<int:pk>/<str:decision>/",
        views.rectification_decide,
        name="rectification-decide",
    ),
]
