from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "shegong.privacy"
    label = "privacy"
    verbose_name = _("Personal data retention")

    def ready(self) -> None:
        from shegong.core import audit
        from shegong.privacy import purge_jobs, steps
        from shegong.privacy.models import SubjectRequest

        steps.register_all()
        purge_jobs.register()
        audit.register(SubjectRequest, redact=("detail", "outcome"))
