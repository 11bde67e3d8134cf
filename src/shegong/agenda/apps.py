from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgendaConfig(AppConfig):
    name = "shegong.agenda"
    label = "agenda"
    verbose_name = _("Calendar")

    def ready(self) -> None:
        from shegong.agenda import models
        from shegong.core import audit

        audit.register(models.Appointment)
        audit.register(models.PlannedService)
        # The feed's token is a secret: the audit log says that it changed, not what to.
        audit.register(models.CalendarFeed, redact=["token"])
