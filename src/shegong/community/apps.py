from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "shegong.community"
    label = "community"
    verbose_name = _("Community programmes")

    def ready(self) -> None:
        from shegong.clients.services import register_merge_step
        from shegong.community.services import resident_merge_meals

        register_merge_step(resident_merge_meals)
        from shegong.community.models import Volunteer
        from shegong.core import audit

        audit.register(Volunteer)
