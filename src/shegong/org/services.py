"""Writes of the organisation tree that belong to people rather than to the
go-live import: the service points 社工点 of a station and their staff."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shegong.core.access import ensure_visible, require, require_at
from shegong.core.scope import CHANGE, CREATE
from shegong.org.models import Community, ServicePoint, Station

POINT_FIELDS = {"name", "code", "community", "is_active", "opened_on"}


def refuse_message() -> str:
    return _("Only the station director and district or city officers manage service points.")


def _check_staff(point: ServicePoint, staff: Iterable[Any]) -> list[Any]:
    staff = list(staff)
    for user in staff:
        if user.station_id != point.station_id:
            raise ValidationError(
                {"staff": _("%(name)s is not a worker of this station.") % {"name": user}}
            )
    return staff


@transaction.atomic
def service_point_create(
    *,
    actor: Any,
    station: Station,
    name: str,
    code: str,
    community: Community | None = None,
    is_active: bool = True,
    opened_on: datetime.date | None = None,
    staff: Iterable[Any] = (),
) -> ServicePoint:
    """Open a service point of `station`, in `community` (one point per community)."""
    require_at(actor, CREATE, ServicePoint, station, refuse_message())
    point = ServicePoint(
        station=station,
        community=community,
        name=name.strip(),
        code=code.strip(),
        is_active=is_active,
        opened_on=opened_on,
    )
    point.full_clean()
    point.save()
    point.staff.set(_check_staff(point, staff))
    ensure_visible(actor, point)
    return point


@transaction.atomic
def service_point_update(
    *, actor: Any, point: ServicePoint, staff: Iterable[Any] | None = None, **changes: Any
) -> ServicePoint:
    """Change a point's name, code, community, opening or state, and its staff."""
    require(actor, CHANGE, point, refuse_message())
    unknown = set(changes) - POINT_FIELDS
    if unknown:
        raise ValidationError(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))
    for key, value in changes.items():
        setattr(point, key, value.strip() if isinstance(value, str) else value)
    point.full_clean()
    point.save()
    if staff is not None:
        point.staff.set(_check_staff(point, staff))
    ensure_visible(actor, point)
    return point
