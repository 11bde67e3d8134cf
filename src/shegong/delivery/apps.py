from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliveryConfig(AppConfig):
    name = "shegong.delivery"
    label = "delivery"
    verbose_name = _("Service delivery")

    def ready(self) -> None:
        from shegong.clients.services import register_merge_step
        from shegong.delivery.services import resident_merge_attendance

        register_merge_step(resident_merge_attendance)
        from shegong.core import audit
        from shegong.delivery.models import GroupEvaluation, GroupSessionPlan, ServiceEvent

        # Attendance is written in bulk with its event; the event's entry lists it.
        audit.register(ServiceEvent)
        audit.register(GroupSessionPlan)
        audit.register(GroupEvaluation)
        from shegong.delivery import import_jobs

        import_jobs.register()
