"""Web pages of the programmes around the station: volunteers (义工) and their
teams, party organisations, community organisations (社区组织), governance
projects (社区专案) with their deliberation meetings (居民议事), and the elderly
meal programme (长者饭堂): enrolled elders, the day's roll call in one screen and
pre-meal activities. Every write goes through `community.services` (pre-meal
activities through `delivery.services`)."""

from __future__ import annotations

from shegong.community.views.meals import (
    meal_activity_record,
    meal_enrol,
    meal_home,
    meal_roll_call,
)
from shegong.community.views.organisations import (
    organisation_create,
    organisation_edit,
    organisation_list,
)
from shegong.community.views.overview import overview
from shegong.community.views.party import party_detail, party_list, party_organisation_create
from shegong.community.views.projects import (
    project_create,
    project_detail,
    project_list,
    project_meeting,
    project_stage,
)
from shegong.community.views.volunteers import (
    signup_cancel,
    team_create,
    team_detail,
    team_list,
    volunteer_detail,
    volunteer_edit,
    volunteer_list,
    volunteer_register,
    volunteer_signup,
)

__all__ = [
    "overview",
    "volunteer_list",
    "volunteer_register",
    "volunteer_detail",
    "volunteer_signup",
    "signup_cancel",
    "volunteer_edit",
    "team_list",
    "team_create",
    "team_detail",
    "party_list",
    "party_organisation_create",
    "party_detail",
    "organisation_list",
    "organisation_create",
    "organisation_edit",
    "project_list",
    "project_create",
    "project_detail",
    "project_stage",
    "project_meeting",
    "meal_home",
    "meal_enrol",
    "meal_roll_call",
    "meal_activity_record",
]
