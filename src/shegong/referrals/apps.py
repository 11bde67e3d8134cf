from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "shegong.referrals"
    label = "referrals"
    verbose_name = _("Referrals")

    def ready(self) -> None:
        from shegong.core import audit
        from shegong.referrals.models import Partner

        audit.register(Partner)
