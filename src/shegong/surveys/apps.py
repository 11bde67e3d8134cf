from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "shegong.surveys"
    label = "surveys"
    verbose_name = _("Surveys")

    def ready(self) -> None:
        from shegong.core import audit
        from shegong.surveys.models import Survey

        audit.register(Survey)
