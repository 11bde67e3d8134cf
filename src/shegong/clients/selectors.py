"""Reads of residents for the work queues."""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Q

from shegong.clients.models import GUARDIAN_CONSENT_AGE, Consent, LawfulBasis, Resident


def _in_force(on: datetime.date) -> Q:
    return Q(recorded_on__lte=on) & (Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=on))


def consents_to_renew(user, station_id: int, on: datetime.date):
    """The station's residents now 14 or older whose consent in force is only a
    guardian's (PIPL art. 31): their own consent should now be taken."""
    try:
        born_by = on.replace(year=on.year - GUARDIAN_CONSENT_AGE)
    except ValueError:  # 29 February
        born_by = on.replace(year=on.year - GUARDIAN_CONSENT_AGE, day=28)
    in_force = Consent.objects.filter(_in_force(on), resident=OuterRef("pk"))
    guardian = in_force.filter(lawful_basis=LawfulBasis.CONSENT, given_by=Consent.GivenBy.GUARDIAN)
    other = in_force.exclude(lawful_basis=LawfulBasis.CONSENT, given_by=Consent.GivenBy.GUARDIAN)
    return (
        Resident.objects.visible_to(user)
        .filter(station_id=station_id, merged_into__isnull=True, birth_date__lte=born_by)
        .filter(Exists(guardian), ~Exists(other))
        .order_by("birth_date", "pk")
    )
