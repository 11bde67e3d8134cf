"""Writes of the programmes around the station: meal programme, volunteers,
party members, community organisations and governance projects."""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.accounts.models import User
from shegong.accounts.roles import Role
from shegong.cases.alerts import evaluate_meal_absence
from shegong.clients.models import Resident
from shegong.community.models import MealEnrolment, MealKind, MealRecord
from shegong.core.access import ensure_visible
from shegong.org.models import Station


def require_station_staff(actor: User, station_id: int) -> None:
    if actor.role not in (Role.SOCIAL_WORKER, Role.STATION_DIRECTOR) or (
        actor.station_id != station_id
    ):
        raise PermissionDenied(_("Only the station's own staff can do this."))


@transaction.atomic
def meal_enrol(*, actor: User, resident: Resident, started_on: datetime.date) -> MealEnrolment:
    ensure_visible(actor, resident)
    require_station_staff(actor, resident.station_id)
    enrolment = MealEnrolment(
        station_id=resident.station_id, resident=resident, started_on=started_on
    )
    enrolment.full_clean()
    enrolment.save()
    return enrolment


@transaction.atomic
def meal_roll_call(
    *,
    actor: User,
    station: Station,
    served_on: datetime.date,
    present: Mapping[int, str],
) -> dict[str, int]:
    """The day's roll call of the canteen in one write: `present` maps each elder
    who ate (resident id) to dine-in or delivery. Elders not in it are recorded
    absent for the day (a previous entry for them is removed). The canteen-absence
    alert rule runs afterwards."""
    ensure_visible(actor, station)
    require_station_staff(actor, station.pk)
    if served_on > timezone.localdate():
        raise ValidationError({"served_on": _("The date cannot be in the future.")})
    enrolled = set(
        MealEnrolment.objects.filter(station=station, started_on__lte=served_on)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=served_on))
        .values_list("resident_id", flat=True)
    )
    unknown = set(present) - enrolled
    if unknown:
        raise ValidationError(
            _("%(n)s of the elders are not enrolled in the meal programme on that day.")
            % {"n": len(unknown)}
        )
    bad_kind = {kind for kind in present.values() if kind not in MealKind.values}
    if bad_kind:
        raise ValidationError(_("Unknown meal kind."))
    existing = {
        r.resident_id: r
        for r in MealRecord.objects.select_for_update().filter(station=station, served_on=served_on)
    }
    removed = (
        MealRecord.objects.filter(station=station, served_on=served_on)
        .exclude(resident_id__in=list(present))
        .delete()[0]
    )
    created = updated = 0
    new = []
    for resident_id, kind in present.items():
        record = existing.get(resident_id)
        if record is None:
            new.append(
                MealRecord(
                    station=station,
                    resident_id=resident_id,
                    served_on=served_on,
                    kind=kind,
                    recorded_by=actor,
                )
            )
        elif record.kind != kind:
            record.kind = kind
            record.save(update_fields=["kind", "updated_at"])
            updated += 1
    MealRecord.objects.bulk_create(new)
    created = len(new)
    evaluate_meal_absence(station.pk, served_on)
    return {"present": len(present), "created": created, "updated": updated, "removed": removed}
