"""Reads of the directory of services, always through the scope."""

from __future__ import annotations

from django.db.models import Q, QuerySet

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
