"""The blocks of the home page (shegong.home): each a function of the user and
today returning the context its part of home.html shows. Every read goes
through an app's selector, scoped with `.visible_to(user)`; the lists are
evaluated here, so that the page's queries are counted in one place
(tests/test_home_queries.py)."""

from __future__ import annotations

import datetime
from typing import Any

from shegong.agenda import selectors as agenda
from shegong.agenda.models import Appointment
from shegong.cases import selectors as cases
from shegong.cases import signoffs
from shegong.clients import selectors as clients
from shegong.clients.models import Resident
from shegong.community import selectors as community
from shegong.community.models import MealRecord
from shegong.core.lists import head
from shegong.core.scope import CREATE, VIEW, can, may
from shegong.delivery import selectors as delivery
from shegong.evaluation import selectors as evaluation
from shegong.org import selectors as org
from shegong.org.models import Station
from shegong.plans import selectors as plans
from shegong.plans.models import PlanStatus
from shegong.privacy import selectors as privacy
from shegong.rosters import outreach
from shegong.rosters import selectors as rosters
from shegong.rosters.models import RosterEntry
from shegong.stats import selectors as stats
from shegong.surveys import selectors as surveys

# How many rows a block lists at most (its heading links to the full list).
LIMIT = 10
_STATION = "_home_station"


def _station(user: Any) -> Station | None:
    """The user's own station (the request's user holds it: accounts.backends),
    if the scope lets them read it."""
    if _STATION not in user.__dict__:
        station = user.station if user.station_id else None
        visible = station is not None and can(user, VIEW, station)
        user.__dict__[_STATION] = station if visible else None
    return user.__dict__[_STATION]


def directory(user, today) -> dict[str, Any]:
    """The organisation's counts and districts (administrators, who run no queue)."""
    return {
        "summary": org.org_summary(user),
        "districts": list(org.districts_with_counts(user)),
    }


def quick_actions(user, today) -> dict[str, Any]:
    station = _station(user)
    return {
        "quick_actions": {
            "register": station is not None and may(user, CREATE, Resident),
            "record": delivery.records_services(user),
        }
    }


def roll_call(user, today) -> dict[str, Any]:
    """Today's canteen roll call, while not taken: the number of elders to call."""
    if _station(user) is None or not may(user, CREATE, MealRecord):
        return {}
    return {"roll_call_due": community.roll_call_due(user, user.station_id, today)}


def my_week(user, today) -> dict[str, Any]:
    """This week's services I took part in (today's first), the groups I lead
    with sessions to hold, and the places the calendar and the rosters fill."""
    monday, sunday = delivery.week_of(today)
    services = list(delivery.my_services(user, monday, sunday)[: 2 * LIMIT])
    return {
        "week": {"monday": monday, "sunday": sunday},
        "services_today": [e for e in services if e.held_on == today],
        "services_week": [e for e in services if e.held_on != today],
        "groups_to_run": list(delivery.my_groups_to_run(user)[:LIMIT]),
        # Filled at merge by the calendar app (issue 14 point 2) and the rosters
        # (outreach due): None hides the block, a list shows it.
        "appointments": my_appointments(user, today),
        "outreach_due": my_outreach_due(user, today),
    }


def my_appointments(user, today) -> list | None:
    """The user's appointments and planned sessions or activities this week, from
    the calendar (agenda); None for a role that keeps no calendar."""
    if not may(user, VIEW, Appointment):
        return None
    monday, sunday = delivery.week_of(today)
    booked = list(agenda.appointments_for(user, monday, sunday)[:LIMIT])
    planned = list(agenda.planned_for(user, monday, sunday)[:LIMIT])
    return sorted(booked + planned, key=lambda item: item.starts_at)[:LIMIT]


def my_outreach_due(user, today) -> list | None:
    """The station's roster persons never reached, overdue or due soon, most
    urgent first (the rosters' outreach list); None for those who keep none."""
    if user.station_id is None or not may(user, VIEW, RosterEntry):
        return None
    people = outreach.outreach_list(rosters.entries_for(user), user.station_id, today)
    return [p for p in people if p.status != outreach.UP_TO_DATE][:LIMIT]


def my_alerts(user, today) -> dict[str, Any]:
    alerts, count = head(cases.my_open_alerts(user), LIMIT)
    return {"alerts": alerts, "alerts_count": count}


def my_reviews(user, today) -> dict[str, Any]:
    queues = cases.caseload_queues(user, today, LIMIT)
    return {
        "reviews_due": queues.reviews_due,
        "needing_action": queues.needing_action,
        "caseload_count": queues.count,
    }


def _with_share(rows, share: float) -> dict[str, Any]:
    return {"rows": rows, "expected_percent": round(100 * share)}


def plan_progress(user, today) -> dict[str, Any]:
    """The station's 113X projects of this year against the share of the year
    elapsed, from the statistics' own computation."""
    station = _station(user)
    if station is None:
        return {}
    plan = plans.station_plan(user, station.pk, today.year)
    projects = stats.project_progress(user, station, today.year) if plan else []
    return {
        "station": station,
        "plan": plan,
        "project_progress": _with_share(projects, stats.year_share(today.year, today)),
    }


def caseloads(user, today) -> dict[str, Any]:
    """Each member of the station's staff with their open cases and alerts."""
    station = _station(user)
    if station is None:
        return {}
    loads = cases.open_caseloads(user, station.pk)
    alerts = _alert_counts(user)
    return {
        "caseloads": [
            (member, loads.get(member.pk, 0), alerts.get(member.pk, 0))
            for member in _staff(user, station)
        ],
    }


def _alert_counts(user) -> dict:
    if "_home_alerts" not in user.__dict__:
        user.__dict__["_home_alerts"] = cases.open_alerts_by_worker(user)
    return user.__dict__["_home_alerts"]


def _staff(user, station) -> list:
    if "_home_staff" not in user.__dict__:
        user.__dict__["_home_staff"] = list(org.station_staff(user, station))
    return user.__dict__["_home_staff"]


def alerts_by_worker(user, today) -> dict[str, Any]:
    station = _station(user)
    if station is None:
        return {}
    counts = _alert_counts(user)
    rows = [(member, counts[member.pk]) for member in _staff(user, station) if member.pk in counts]
    return {"alerts_by_worker": rows, "alerts_unassigned": counts.get(None, 0)}


def station_inbox(user, today) -> dict[str, Any]:
    """What waits for the station's director: cases to assign, case steps to
    sign off, library entries
    returned, survey results, rectifications to answer, this year's plan while
    not approved, evaluation results to reply to, residents' data requests,
    personal-data exports to approve, guardians' consents to renew for children
    now 14."""
    station = _station(user)
    if station is None:
        return {}
    plan = plans.station_plan(user, station.pk, today.year)
    return {
        "inbox": {
            "to_assign": list(cases.cases_to_assign(user)[:LIMIT]),
            "signoffs": list(signoffs.signoffs_to_decide(user)[:LIMIT]),
            "library_returned": list(cases.library_returned(user)[:LIMIT]),
            "survey_results": list(surveys.station_surveys_answered(user, station.pk)[:5]),
            "rectifications": list(evaluation.rectifications_to_answer(user)[:LIMIT]),
            "sheets_to_reply": list(evaluation.sheets_to_reply(user)[:LIMIT]),
            "data_requests": list(privacy.open_requests(user, station.pk)[:LIMIT]),
            "exports_waiting": list(privacy.exports_waiting(user)[:LIMIT]),
            "consents_to_renew": list(clients.consents_to_renew(user, station.pk, today)[:LIMIT]),
            "plan": plan,
            # Submitted, the plan waits for the officials, not for the director.
            "plan_waiting": plan is None or plan.status in (PlanStatus.DRAFT, PlanStatus.RETURNED),
        }
    }


def sheets(user, today) -> dict[str, Any]:
    rows = list(evaluation.sheets_to_score(user)[: 5 * LIMIT])
    return {"sheets": rows, "soon": today + datetime.timedelta(days=7)}


def approvals(user, today) -> dict[str, Any]:
    return {
        "approvals": list(plans.plans_waiting_decision(user)[: 2 * LIMIT]),
        "exports_waiting": list(privacy.exports_waiting(user)[:LIMIT]),
    }


def _progress(user, today) -> list:
    if "_home_progress" not in user.__dict__:
        user.__dict__["_home_progress"] = stats.station_progress(user, today.year, today)
    return user.__dict__["_home_progress"]


def behind_target(user, today) -> dict[str, Any]:
    """The stations furthest behind the share of the year, ranked."""
    behind = [row for row in _progress(user, today) if row.behind]
    return {
        "behind": behind[:LIMIT],
        "behind_count": len(behind),
        "expected_percent": round(100 * stats.year_share(today.year, today)),
    }


def station_progress(user, today) -> dict[str, Any]:
    """Every station in scope against the share of the year (an agency's few)."""
    return {
        "station_progress": _progress(user, today),
        "expected_percent": round(100 * stats.year_share(today.year, today)),
    }


def contracts_ending(user, today) -> dict[str, Any]:
    contracts = list(org.contracts_ending(user, today)[:LIMIT])
    for contract in contracts:
        contract.days_left = (contract.ends_on - today).days
    return {"contracts_ending": contracts}


def rectifications(user, today) -> dict[str, Any]:
    return {"overdue": list(evaluation.overdue_rectifications(user, today)[:LIMIT])}


def rounds(user, today) -> dict[str, Any]:
    return {"rounds": evaluation.rounds_progress(user)}


def satisfaction(user, today) -> dict[str, Any]:
    """The satisfaction rate in scope this year against last year, and the
    stations whose rate fell most (percentage points)."""
    visible = Station.objects.visible_to(user)
    year, before = today.year, today.year - 1
    rates = surveys.satisfaction_rates(stations_queryset=visible, years=[year, before], user=user)
    now = surveys.satisfaction_rate_by_station(stations_queryset=visible, year=year, user=user)
    then = surveys.satisfaction_rate_by_station(stations_queryset=visible, year=before, user=user)
    changes = [
        (pk, surveys.change_points(now[pk]["rate"], then[pk]["rate"]), now[pk]["rate"])
        for pk in now
        if pk in then and now[pk]["rate"] is not None and then[pk]["rate"] is not None
    ]
    falls = sorted((c for c in changes if c[1] < 0), key=lambda c: (c[1], c[0]))[:5]
    names = (
        dict(visible.filter(pk__in=[c[0] for c in falls]).values_list("pk", "name"))
        if falls
        else {}
    )
    return {
        "satisfaction": {
            "year": year,
            "rate": rates[year]["rate"],
            "answers": rates[year]["answers"],
            "baseline_year": before,
            "baseline_rate": rates[before]["rate"],
            "change": surveys.change_points(rates[year]["rate"], rates[before]["rate"]),
            "falls": [(pk, names.get(pk, ""), change, rate) for pk, change, rate in falls],
        }
    }


def coverage_gaps(user, today) -> dict[str, Any]:
    """The stations with the most roster persons never reached in the latest
    month imported (the rosters' coverage rollup), largest gaps first."""
    month = rosters.latest_month(user)
    if month is None:
        return {"coverage_gaps": {"month": None, "rows": []}}
    year, number = month
    totals = [
        row
        for row in rosters.coverage(user, year=year, month=number, level="station")
        if row.category_id is None and row.never_reached
    ]
    totals.sort(key=lambda row: (-row.never_reached, row.name))
    return {"coverage_gaps": {"month": datetime.date(year, number, 1), "rows": totals[:LIMIT]}}
