"""The roles of the platform (DESIGN.md "Who uses it") and the level of the
organisation tree each role's scope hangs from."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SOCIAL_WORKER = "social_worker", _("Social worker")
    STATION_DIRECTOR = "station_director", _("Station director")
    AGENCY_MANAGER = "agency_manager", _("Agency manager")
    DISTRICT_OFFICER = "district_officer", _("District officer")
    CITY_OFFICER = "city_officer", _("City officer")
    EVALUATOR = "evaluator", _("Evaluator")
    ADMIN = "admin", _("System administrator")


class Level(models.TextChoices):
    """Where in the organisation tree a role's scope is anchored."""

    CITY = "city", _("City")
    DISTRICT = "district", _("District")
    AGENCY = "agency", _("Agency")
    STATION = "station", _("Station")


ROLE_LEVEL: dict[str, str] = {
    Role.SOCIAL_WORKER: Level.STATION,
    Role.STATION_DIRECTOR: Level.STATION,
    Role.EVALUATOR: Level.STATION,
    Role.AGENCY_MANAGER: Level.AGENCY,
    Role.DISTRICT_OFFICER: Level.DISTRICT,
    Role.CITY_OFFICER: Level.CITY,
}

# The field on User that anchors each level; evaluators use a list of stations.
LEVEL_FIELD: dict[str, str] = {
    Level.CITY: "city",
    Level.DISTRICT: "district",
    Level.AGENCY: "agency",
    Level.STATION: "station",
}

STAFF_ROLES = frozenset({Role.SOCIAL_WORKER, Role.STATION_DIRECTOR})
OFFICIAL_ROLES = frozenset({Role.DISTRICT_OFFICER, Role.CITY_OFFICER})
