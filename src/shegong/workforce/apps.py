from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkforceConfig(AppConfig):
    name = "shegong.workforce"
    label = "workforce"
    verbose_name = _("Workforce")

    def ready(self) -> None:
        from shegong.core import audit
        from shegong.workforce import models

        audit.register(models.StaffProfile)
        audit.register(models.TrainingRecord)
        audit.register(models.SupervisionRecord)
