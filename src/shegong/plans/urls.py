from django.urls import path

from shegong.plans import views

app_name = "plans"

urlpatterns = [
    path("", views.plan_list, name="plan-list"),
    path("new/", views.plan_create, name="plan-create"),
    path("<int:pk>/", views.plan_detail, name="plan-detail"),
    path("<int:pk>/edit/", views.plan_edit, name="plan-edit"),
    path("<int:pk>/copy/", views.plan_copy, name="plan-copy"),
    path("<int:pk>/projects/", views.project_add, name="project-add"),
    path("<int:pk>/submit/", views.plan_submit, name="plan-submit"),
    path("<int:pk>/approve/", views.plan_approve, name="plan-approve"),
    path("<int:pk>/return/", views.plan_return, name="plan-return"),
    path("projects/<int:pk>/targets/", views.project_targets, name="project-targets"),
    path("projects/<int:pk>/remove/", views.project_remove, name="project-remove"),
]
