from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "shegong.plans"
    label = "plans"
    verbose_name = _("Annual programme")

    def ready(self) -> None:
        from shegong.core import audit
        from shegong.plans.models import AnnualPlan, PlanProject, ProjectTarget

        audit.register(AnnualPlan)
        audit.register(PlanProject)
        audit.register(ProjectTarget)
