from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "shegong.referrals"
    label = "referrals"
    verbose_name = _("Referrals")

    def ready(self) -> None:
        from shegong.cases import alerts
        from shegong.core import audit
        from shegong.referrals import follow_up
        from shegong.referrals.models import Partner, ReferralTrack

        audit.register(Partner)
        audit.register(
            ReferralTrack,
            redact=["shared_text", "decline_reason", "outcome_note"],
            station="from_station",
            label=lambda track: f"referral {track.pk}",
        )
        alerts.register_rule(follow_up.evaluate_overdue_follow_ups)
