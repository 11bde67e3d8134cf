"""The roles of the platform (docs/domain.md "Who uses it") and the level of the
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

# The parts of the site in each role's menu and on its home page. Navigation, not
# access: what a role may read or do is its models' Scope (core.scope), and a page
# reached without the menu still answers by the scope. The menu leaves out what is
# no part of the role's work (an evaluator scores; they do not run the canteen).
STATION_WORK = "station_work"  # residents, cases, alerts, services, groups, canteen
COMMUNITY = "community"
PLANS = "plans"
EVALUATION = "evaluation"
LOGS = "logs"  # the access log and the audit log
HOME_DISTRICTS = "home_districts"
HOME_STATIONS = "home_stations"
HOME_OWN_STATION = "home_own_station"
HOME_RECTIFICATIONS = "home_rectifications"
STATIONS_TO_EVALUATE = "stations_to_evaluate"
# Going live (golive): the imports of the organisation, the staff accounts and the
# previous system's records, each for the roles whose scope imports it.
ORG_IMPORT = "org_import"
STAFF_IMPORT = "staff_import"
RECORDS_IMPORT = "records_import"

SECTIONS: dict[str, frozenset[str]] = {
    Role.SOCIAL_WORKER: frozenset(
        {STATION_WORK, COMMUNITY, PLANS, HOME_OWN_STATION, HOME_RECTIFICATIONS}
    ),
    Role.STATION_DIRECTOR: frozenset(
        {STATION_WORK, COMMUNITY, PLANS, EVALUATION, LOGS, HOME_OWN_STATION, HOME_RECTIFICATIONS}
    ),
    Role.AGENCY_MANAGER: frozenset({COMMUNITY, PLANS, EVALUATION, HOME_STATIONS}),
    Role.DISTRICT_OFFICER: frozenset(
        {
            COMMUNITY,
            PLANS,
            EVALUATION,
            HOME_DISTRICTS,
            HOME_STATIONS,
            HOME_RECTIFICATIONS,
            RECORDS_IMPORT,
        }
    ),
    Role.CITY_OFFICER: frozenset(
        {COMMUNITY, PLANS, EVALUATION, LOGS, HOME_DISTRICTS, STAFF_IMPORT, RECORDS_IMPORT}
    ),
    Role.EVALUATOR: frozenset({EVALUATION, HOME_STATIONS, STATIONS_TO_EVALUATE}),
    Role.ADMIN: frozenset(
        {COMMUNITY, PLANS, EVALUATION, HOME_DISTRICTS, ORG_IMPORT, STAFF_IMPORT, RECORDS_IMPORT}
    ),
}


def sections_for(user) -> frozenset[str]:
    """The menu and home-page sections of `user` (a superuser's are the
    administrator's whatever role the account carries)."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    role = Role.ADMIN if user.is_superuser else user.role
    return SECTIONS.get(role, frozenset())


def anchor_field(role: str) -> str | None:
    """The User field a role's scope hangs from, which its accounts must set;
    None for roles without a scope (administrators) and for evaluators, whose
    stations come from the evaluation rounds they are assigned to."""
    level = ROLE_LEVEL.get(role)
    if level is None or role == Role.EVALUATOR:
        return None
    return LEVEL_FIELD[level]


def otp_required(user, roles) -> bool:
    """Whether a second factor (TOTP) is required of `user`: their role is among
    `roles` (the SHEGONG_REQUIRE_OTP_ROLES setting, where "superuser" names the
    superusers)."""
    roles = set(roles)
    return bool(user.role in roles or (user.is_superuser and "superuser" in roles))


# The level an account of each role is placed at when it is created (the staff
# import): its scope's level, but the city for evaluators, whose stations come from
# the evaluation rounds. Administrators have none: they are made by `setup_city` or
# in /admin/, never from a spreadsheet.
ACCOUNT_LEVEL: dict[str, str] = {**ROLE_LEVEL, Role.EVALUATOR: Level.CITY}
IMPORTABLE_ROLES: tuple[str, ...] = tuple(role for role in Role if role in ACCOUNT_LEVEL)
