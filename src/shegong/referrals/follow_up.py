"""The alert rule of overdue referral follow-ups (转介跟进逾期): a referral
still under way whose follow-up date has passed (beyond the sending station's
grace days) raises one alert for the case's worker, through the existing
alert engine (cases.alerts). The episode is the follow-up date: setting a new
date and missing it again raises a new alert."""

from __future__ import annotations

import datetime

from django.utils import timezone

from shegong.cases.models import Alert, AlertKind
from shegong.referrals.models import OPEN_REFERRAL_STATUSES, ReferralTrack


def evaluate_overdue_follow_ups(station_id: int, today: datetime.date | None = None) -> list[Alert]:
    from shegong.cases.alerts import raise_alert, rule_settings

    today = today or timezone.localdate()
    setting = rule_settings(station_id)[AlertKind.REFERRAL_FOLLOW_UP]
    if not setting.enabled:
        return []
    due = today - datetime.timedelta(days=setting.threshold_days)
    tracks = ReferralTrack.objects.filter(
        from_station_id=station_id,
        status__in=OPEN_REFERRAL_STATUSES,
        follow_up_on__lt=due,
    ).select_related("referral__case", "partner")
    raised = []
    for track in tracks:
        case = track.referral.case
        alert = raise_alert(
            kind=AlertKind.REFERRAL_FOLLOW_UP,
            subject=f"referral:{track.pk}:{track.follow_up_on.isoformat()}",
            station_id=station_id,
            resident_id=case.client_id,
            case=case,
            detail={"case": case.number, "date": track.follow_up_on.isoformat()},
            assigned_to_id=case.workers.order_by("pk").values_list("pk", flat=True).first(),
        )
        if alert:
            raised.append(alert)
    return raised
