"""The referral counts 转介统计: sent, accepted and completed, by domain and by
partner, over the stations the user sees (the sending station's). Counts only:
no case, no client, no shared text. The page and the API read this one
selector (`referral_counts`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q

from shegong.core.models import Domain
from shegong.org.selectors import stations_visible_to
from shegong.referrals.models import ReferralStatus, ReferralTrack

# A referral counts as accepted once the partner took the client on, whatever
# happened after (a completed one was accepted first; an outside organisation's
# completed referral is taken as accepted).
ACCEPTED_STATUSES = (ReferralStatus.ACCEPTED, ReferralStatus.IN_SERVICE, ReferralStatus.COMPLETED)

_FIGURES = {
    "sent": Count("pk"),
    "accepted": Count("pk", filter=Q(status__in=ACCEPTED_STATUSES)),
    "completed": Count("pk", filter=Q(status=ReferralStatus.COMPLETED)),
}


@dataclass
class ReferralCounts:
    sent: int = 0
    accepted: int = 0
    completed: int = 0
    by_domain: list[dict] = field(default_factory=list)
    by_partner: list[dict] = field(default_factory=list)


FIRST_YEAR, LAST_YEAR = 2000, 2100


def year_of(text: str) -> int | None:
    """The year asked for (?year=): None when empty or not a plausible year."""
    text = (text or "").strip()
    if text.isdigit() and FIRST_YEAR <= int(text) <= LAST_YEAR:
        return int(text)
    return None


def referral_counts(user, year: int | None = None) -> ReferralCounts:
    """The counts of the referrals sent by the stations `user` sees (in `year`
    of sending, or all)."""
    tracks = ReferralTrack.objects.filter(from_station__in=stations_visible_to(user).values("pk"))
    if year is not None:
        tracks = tracks.filter(sent_on__year=year)
    totals = tracks.aggregate(**_FIGURES)
    labels = dict(Domain.choices)
    by_domain = [
        {
            "domain": row["domain"],
            "label": str(labels.get(row["domain"], row["domain"])),
            **_ints(row),
        }
        for row in tracks.values("domain").annotate(**_FIGURES).order_by("domain")
    ]
    by_partner = [
        {"partner": row["partner_id"], "name": row["partner__name"], **_ints(row)}
        for row in tracks.values("partner_id", "partner__name")
        .annotate(**_FIGURES)
        .order_by("partner__name", "partner_id")
    ]
    return ReferralCounts(
        sent=totals["sent"] or 0,
        accepted=totals["accepted"] or 0,
        completed=totals["completed"] or 0,
        by_domain=by_domain,
        by_partner=by_partner,
    )


def _ints(row: dict) -> dict:
    return {name: row[name] for name in _FIGURES}
