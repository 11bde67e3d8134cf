"""Reads of the directory of services, always through the scope."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from shegong.referrals.models import Partner


def partners_visible_to(user) -> QuerySet[Partner]:
    return Partner.objects.visible_to(user).select_related(
        "station", "district", "served_district", "served_street", "platform_station"
    )


def accepting(queryset: QuerySet[Partner], domain: str) -> QuerySet[Partner]:
    """The entries that accept referrals in `domain`."""
    return queryset.filter(domains__contains=f",{domain},")


def serving(queryset: QuerySet[Partner], district=None, street=None) -> QuerySet[Partner]:
    """The entries whose area covers `district` (and `street`): those serving it,
    and those serving the whole city (or, for a street, its whole district)."""
    if street is not None:
        district = street.district
        queryset = queryset.filter(Q(served_street=street) | Q(served_street__isnull=True))
    if district is not None:
        queryset = queryset.filter(Q(served_district=district) | Q(served_district__isnull=True))
    return queryset


def partners_for(user, service: str, district=None) -> QuerySet[Partner]:
    """The active partners `user` may refer to for `service` (a statistical
    domain, core.models.Domain) in `district` (None: anywhere): what the
    referral workflow offers and checks."""
    queryset = partners_visible_to(user).filter(active=True)
    return serving(accepting(queryset, service), district)


def inbox(user) -> QuerySet:
    """The referrals received by the user's station (the receiving side's
    scope): what the inbox lists, newest first."""
    from shegong.referrals.models import ReferralTrack

    return ReferralTrack.objects.visible_to(user).select_related("from_station", "partner")


def sent_by_me(user) -> QuerySet:
    """The referrals of the case files the user works on (the sender's side,
    through the content scope of `cases.Referral`)."""
    from shegong.cases.models import Referral
    from shegong.referrals.models import ReferralTrack

    return ReferralTrack.objects.filter(referral__in=Referral.objects.visible_to(user).values("pk"))


def track_sides(user, pk: int):
    """The referral `pk` and the sides the user reads it from ("receiver",
    "sender"); None when they read it from neither (a third station, an
    official: 404)."""
    from shegong.referrals.models import ReferralTrack

    track = (
        ReferralTrack.objects.select_related(
            "from_station", "to_station", "partner", "referral__case", "consent"
        )
        .filter(pk=pk)
        .first()
    )
    if track is None:
        return None, set()
    sides = set()
    if inbox(user).filter(pk=pk).exists():
        sides.add("receiver")
    if sent_by_me(user).filter(pk=pk).exists():
        sides.add("sender")
    return (track, sides) if sides else (None, set())


def withdrawn_for_receiver(
    track, sides: set[str], on: datetime.date | None = None
) -> datetime.date | None:
    """The day the resident withdrew the consent the referral was sent under,
    when `sides` read it as the receiving station only: from that day the
    receiver sees that consent was withdrawn instead of the shared part (PIPL
    art. 15: sharing stops). None otherwise: the sender keeps its own case file,
    the shared copy included."""
    withdrawn = track.consent.withdrawn_on
    on = on or timezone.localdate()
    if withdrawn is None or withdrawn > on or "sender" in sides:
        return None
    return withdrawn
