from django.urls import path

from shegong.referrals import views

app_name = "referrals"

urlpatterns = [
    path("directory/", views.partner_list, name="partner-list"),
    path("directory/new/", views.partner_create, name="partner-create"),
    path("directory/<int:pk>/", views.partner_detail, name="partner-detail"),
    path("directory/<int:pk>/edit/", views.partner_edit, name="partner-edit"),
]
