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
    # 街道办事处: the street office that buys its station's services (the buyer).
    STREET_OFFICE = "street_office", _("Street office (buyer)")
    ADMIN = "admin", _("System administrator")


class Level(models.TextChoices):
    """Where in the organisation tree a role's scope is anchored."""

    CITY = "city", _("City")
    DISTRICT = "district", _("District")
    STREET = "street", _("Street or town")
    AGENCY = "agency", _("Agency")
    STATION = "station", _("Station")


ROLE_LEVEL: dict[str, str] = {
    Role.SOCIAL_WORKER: Level.STATION,
    Role.STATION_DIRECTOR: Level.STATION,
    Role.EVALUATOR: Level.STATION,
    Role.AGENCY_MANAGER: Level.AGENCY,
    Role.DISTRICT_OFFICER: Level.DISTRICT,
    Role.CITY_OFFICER: Level.CITY,
    Role.STREET_OFFICE: Level.STREET,
}

# The field on User that anchors each level; evaluators use a list of stations.
LEVEL_FIELD: dict[str, str] = {
    Level.CITY: "city",
    Level.DISTRICT: "district",
    Level.STREET: "street",
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
CALENDAR = "calendar"  # the station's calendar 日程 and the staff member's feed
COMMUNITY = "community"
PLANS = "plans"
EVALUATION = "evaluation"
LOGS = "logs"  # the access log and the audit log
DIRECTORY = "directory"  # the directory of services 资源库 (referrals)
# The home page is each role's work queue (shegong.home): the blocks it shows.
HOME_DIRECTORY = "home_directory"  # the organisation's counts (administrators)
HOME_MY_WEEK = "home_my_week"  # my services this week, my groups, appointments
HOME_MY_ALERTS = "home_my_alerts"  # the open alerts assigned to me
HOME_MY_REVIEWS = "home_my_reviews"  # my cases due for review or waiting for a step
HOME_ROLL_CALL = "home_roll_call"  # today's canteen roll call, until taken
HOME_QUICK_ACTIONS = "home_quick_actions"  # register a resident, record a service
HOME_PLAN_PROGRESS = "home_plan_progress"  # the station's 113X projects against the year
HOME_CASELOADS = "home_caseloads"  # open cases per member of staff
HOME_STATION_INBOX = "home_station_inbox"  # what waits for the station's director
HOME_ALERTS_BY_WORKER = "home_alerts_by_worker"
HOME_APPROVALS = "home_approvals"  # plans submitted, waiting for a decision
HOME_BEHIND_TARGET = "home_behind_target"  # stations behind the year's share, ranked
HOME_STATION_PROGRESS = "home_station_progress"  # every station's progress (agency)
HOME_RECTIFICATIONS = "home_rectifications"  # overdue rectifications
HOME_ROUNDS = "home_rounds"  # open evaluation rounds' progress
HOME_SATISFACTION = "home_satisfaction"  # satisfaction this year against last
HOME_SHEETS = "home_sheets"  # the evaluation sheets to score
HOME_CONTRACTS_ENDING = "home_contracts_ending"  # contracts ending within 90 days

# Going live (golive): the imports of the organisation, the staff accounts and the
# previous system's records, each for the roles whose scope imports it.
ORG_IMPORT = "org_import"
STAFF_IMPORT = "staff_import"
RECORDS_IMPORT = "records_import"

HOME_COVERAGE_GAPS = "home_coverage_gaps"  # stations with roster persons never reached
# The civil-affairs rosters: importing them and their coverage (officials).
ROSTERS = "rosters"

_OFFICIAL_HOME = frozenset(
    {
        HOME_APPROVALS,
        HOME_BEHIND_TARGET,
        HOME_RECTIFICATIONS,
        HOME_ROUNDS,
        HOME_SATISFACTION,
        HOME_COVERAGE_GAPS,
        ROSTERS,
    }
)

SECTIONS: dict[str, frozenset[str]] = {
    Role.SOCIAL_WORKER: frozenset(
        {STATION_WORK, CALENDAR, COMMUNITY, PLANS, DIRECTORY, HOME_RECTIFICATIONS}
        | {HOME_MY_WEEK, HOME_MY_ALERTS, HOME_MY_REVIEWS, HOME_ROLL_CALL, HOME_QUICK_ACTIONS}
    ),
    Role.STATION_DIRECTOR: frozenset(
        {STATION_WORK, CALENDAR, COMMUNITY, PLANS, DIRECTORY, EVALUATION, LOGS}
        | {HOME_RECTIFICATIONS}
        | {HOME_PLAN_PROGRESS, HOME_CASELOADS, HOME_STATION_INBOX, HOME_ALERTS_BY_WORKER}
        | {HOME_QUICK_ACTIONS}
    ),
    Role.AGENCY_MANAGER: frozenset(
        {COMMUNITY, PLANS, DIRECTORY, EVALUATION, HOME_STATION_PROGRESS} | {HOME_CONTRACTS_ENDING}
    ),
    Role.DISTRICT_OFFICER: frozenset(
        {COMMUNITY, PLANS, DIRECTORY, EVALUATION, RECORDS_IMPORT} | _OFFICIAL_HOME
    ),
    Role.CITY_OFFICER: frozenset(
        {COMMUNITY, PLANS, DIRECTORY, EVALUATION, LOGS, STAFF_IMPORT, RECORDS_IMPORT}
        | _OFFICIAL_HOME
    ),
    Role.EVALUATOR: frozenset({EVALUATION, HOME_SHEETS}),
    # The buyer reads its street's plans and scores the buyer branch of its
    # stations' evaluations (its stations and contracts are on the organisation pages);
    # its home: the sheets to score, its stations' progress, contracts ending.
    Role.STREET_OFFICE: frozenset(
        {PLANS, EVALUATION, HOME_SHEETS, HOME_STATION_PROGRESS, HOME_CONTRACTS_ENDING}
    ),
    Role.ADMIN: frozenset(
        {COMMUNITY, PLANS, DIRECTORY, EVALUATION, HOME_DIRECTORY, ORG_IMPORT, STAFF_IMPORT}
        | {RECORDS_IMPORT}
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


def scope_name(user) -> str:
    """What a user's figures cover, in words (a report's title block): their
    station, agency, district or city; an evaluator's rounds; everything for an
    administrator."""
    field = anchor_field(user.role)
    anchor = getattr(user, field, None) if field else None
    if anchor is not None:
        return str(anchor)
    if user.role == Role.EVALUATOR:
        return str(_("The stations of your evaluation rounds"))
    return str(_("All stations"))


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
# Street offices are made by the city officer in /admin/ or by `demo`, not imported
# (the staff import names stations, agencies, districts and the city).
ACCOUNT_LEVEL: dict[str, str] = {
    **{role: level for role, level in ROLE_LEVEL.items() if level != Level.STREET},
    Role.EVALUATOR: Level.CITY,
}
IMPORTABLE_ROLES: tuple[str, ...] = tuple(role for role in Role if role in ACCOUNT_LEVEL)
