"""Writes of the rosters: a station's visit rule, a home visit recorded from the
outreach list, and the logged opening of a roster person's page. The import is
`rosters.importing`."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shegong.accounts.models import User
from shegong.clients.services import log_sensitive_read
from shegong.core.access import ensure_visible, require, require_at
from shegong.core.models import AccessLog
from shegong.core.scope import CHANGE, CREATE, VIEW
from shegong.delivery import services as delivery_services
from shegong.delivery.models import EventKind, ServiceEvent
from shegong.org.models import Station
from shegong.plans.models import PlanProject
from shegong.rosters import coverage
from shegong.rosters.models import VISIT, RosterCategory, RosterEntry, VisitRule, VisitUnit


@transaction.atomic
def visit_rule_set(
    *, actor: User, station: Station, category: RosterCategory, every: int, unit: str
) -> VisitRule:
    """Set the station's own visit rule for `category`; the coverage follows."""
    rule = VisitRule.objects.filter(station=station, category=category).first()
    if rule is None:
        require_at(actor, CREATE, VisitRule, station)
        rule = VisitRule(station=station, category=category)
    else:
        require(actor, CHANGE, rule)
    if unit not in VisitUnit.values:
        raise ValidationError({"visit_unit": _("Choose days or months.")})
    rule.visit_every, rule.visit_unit = every, unit
    rule.full_clean()
    rule.save()
    ensure_visible(actor, rule)
    coverage.refresh([(station.pk, category.pk)])
    return rule


@transaction.atomic
def roster_visit_record(
    *,
    actor: User,
    entry: RosterEntry,
    project: PlanProject,
    held_on: datetime.date,
    title: str = "",
) -> ServiceEvent:
    """A home visit to the person of `entry`, recorded through the service record
    (`delivery.services.service_event_record`): it counts one person-time like
    any visit, and as the person's contact and visit in the coverage."""
    require(actor, VISIT, entry)
    if entry.resident_id is None:
        raise ValidationError(_("This person is not placed at a station yet."))
    return delivery_services.service_event_record(
        actor=actor,
        project=project,
        kind=EventKind.HOME_VISIT,
        held_on=held_on,
        title=title.strip() or _("Roster home visit"),
        attendees=[entry.resident],
        workers=[actor],
    )


def roster_person_open(*, actor: User, entry: RosterEntry, ip: str | None) -> None:
    """Every opening of a roster person's page is written to the access log."""
    require(actor, VIEW, entry)
    log_sensitive_read(
        user=actor,
        action=AccessLog.Action.READ_ROSTER_PERSON,
        station_id=entry.station_id,
        obj=entry,
        label=entry.name,
        ip=ip,
    )
