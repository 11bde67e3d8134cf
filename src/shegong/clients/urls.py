from django.urls import path

from shegong.clients import views

app_name = "clients"

urlpatterns = [
    path("", views.resident_list, name="resident-list"),
    path("new/", views.resident_register, name="resident-register"),
    path("<int:pk>/", views.resident_detail, name="resident-detail"),
    path("<int:pk>/edit/", views.resident_edit, name="resident-edit"),
    path("<int:pk>/reveal-id/", views.resident_reveal_id, name="resident-reveal-id"),
    path("<int:pk>/consents/", views.consent_add, name="consent-add"),
    path(
        "<int:pk>/consents/<int:consent>/withdraw/",
        views.consent_withdraw,
        name="consent-withdraw",
    ),
    path("<int:pk>/classify/", views.classify, name="classify"),
    path("<int:pk>/tags/", views.tag_add, name="tag-add"),
    path("<int:pk>/observations/", views.observation_add, name="observation-add"),
    path("<int:pk>/merge/", views.merge, name="merge"),
    path("<int:pk>/household/", views.household_link, name="household-link"),
    path("<int:pk>/documents/", views.resident_document_upload, name="resident-document-upload"),
    path(
        "<int:pk>/documents/<int:document>/",
        views.resident_document_download,
        name="resident-document-download",
    ),
    path(
        "<int:pk>/documents/<int:document>/delete/",
        views.resident_document_delete,
        name="resident-document-delete",
    ),
]
