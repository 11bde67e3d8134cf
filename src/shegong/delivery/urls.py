from django.urls import path

from shegong.delivery import group_pages, views

app_name = "delivery"

urlpatterns = [
    path("", views.event_list, name="event-list"),
    path("new/", views.event_record, name="event-record"),
    path("<int:pk>/", views.event_detail, name="event-detail"),
    path("<int:pk>/attendance/", views.event_attendance, name="event-attendance"),
    path("<int:pk>/delete/", views.event_delete, name="event-delete"),
    path("groups/", views.group_list, name="group-list"),
    path("groups/new/", views.group_create, name="group-create"),
    path("groups/<int:pk>/", group_pages.group_detail, name="group-detail"),
    path("groups/<int:pk>/stage/", group_pages.group_stage, name="group-stage"),
    path("groups/<int:pk>/plans/new/", group_pages.group_plan_add, name="group-plan-add"),
    path("groups/plans/<int:pk>/link/", group_pages.group_plan_link, name="group-plan-link"),
    path("groups/<int:pk>/evaluate/", group_pages.group_evaluate, name="group-evaluate"),
    path("groups/<int:pk>/close/", group_pages.group_close, name="group-close"),
    path("groups/<int:pk>/sessions/new/", views.group_session_record, name="group-session-record"),
]
