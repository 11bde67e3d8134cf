from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _content_label(content) -> str:
    # Case content has no text worth showing (and its text is confidential).
    return f"{content._meta.verbose_name} · {content.case}"


class CasesConfig(AppConfig):
    name = "shegong.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from shegong.cases import alert_jobs, models
        from shegong.core import audit

        # Confidential text is recorded as "changed", never copied.
        audit.register(models.Case, redact=["risk_level"])
        audit.register(
            models.Assessment, redact=["needs", "strengths", "risk_level"], label=_content_label
        )
        audit.register(models.ServicePlan, redact=["goals"], label=_content_label)
        audit.register(models.CaseNote, redact=["text"], label=_content_label)
        audit.register(models.CaseReview, redact=["progress"], label=_content_label)
        audit.register(models.Referral, redact=["reason"], label=_content_label)
        audit.register(
            models.InstrumentScore, redact=["answers", "total", "band"], label=_content_label
        )
        audit.register(models.Instrument)
        audit.register(models.Observation, redact=["text"])
        audit.register(models.AlertRule)
        audit.register(models.LibraryCase)
        audit.register(models.SignoffSetting)
        audit.register(models.Signoff, redact=["summary", "comment"], label=_content_label)
        audit.register(models.CaseDocument, redact=["title", "original_name"], label=_content_label)
        alert_jobs.register()
