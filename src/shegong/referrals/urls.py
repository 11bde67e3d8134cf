from django.urls import path

from shegong.referrals import views, workflow_views

app_name = "referrals"

urlpatterns = [
    path("directory/", views.partner_list, name="partner-list"),
    path("directory/new/", views.partner_create, name="partner-create"),
    path("directory/<int:pk>/", views.partner_detail, name="partner-detail"),
    path("directory/<int:pk>/edit/", views.partner_edit, name="partner-edit"),
    path("cases/<int:case_pk>/send/", workflow_views.send, name="referral-send"),
    path("inbox/", workflow_views.inbox, name="referral-inbox"),
    path("statistics/", workflow_views.statistics, name="referral-stats"),
    path("<int:pk>/", workflow_views.detail, name="referral-detail"),
    path("<int:pk>/<slug:action>/", workflow_views.act, name="referral-act"),
]
