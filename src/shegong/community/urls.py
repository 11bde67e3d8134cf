from django.urls import path

from shegong.community import views

app_name = "community"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("volunteers/", views.volunteer_list, name="volunteer-list"),
    path("volunteers/new/", views.volunteer_register, name="volunteer-register"),
    path("volunteers/<int:pk>/", views.volunteer_detail, name="volunteer-detail"),
    path("volunteers/<int:pk>/edit/", views.volunteer_edit, name="volunteer-edit"),
    path("volunteers/<int:pk>/signups/", views.volunteer_signup, name="volunteer-signup"),
    path("signups/<int:pk>/cancel/", views.signup_cancel, name="signup-cancel"),
    path("teams/", views.team_list, name="team-list"),
    path("teams/new/", views.team_create, name="team-create"),
    path("teams/<int:pk>/", views.team_detail, name="team-detail"),
    path("party/", views.party_list, name="party-list"),
    path("party/new/", views.party_organisation_create, name="party-create"),
    path("party/<int:pk>/", views.party_detail, name="party-detail"),
    path("organisations/", views.organisation_list, name="organisation-list"),
    path("organisations/new/", views.organisation_create, name="organisation-create"),
    path("organisations/<int:pk>/edit/", views.organisation_edit, name="organisation-edit"),
    path("projects/", views.project_list, name="project-list"),
    path("projects/new/", views.project_create, name="project-create"),
    path("projects/<int:pk>/", views.project_detail, name="project-detail"),
    path("projects/<int:pk>/stage/", views.project_stage, name="project-stage"),
    path("projects/<int:pk>/meetings/", views.project_meeting, name="project-meeting"),
    path("meals/", views.meal_home, name="meal-home"),
    path("meals/enrol/", views.meal_enrol, name="meal-enrol"),
    path("meals/roll-call/", views.meal_roll_call, name="meal-roll-call"),
    path("meals/activities/new/", views.meal_activity_record, name="meal-activity-record"),
]
