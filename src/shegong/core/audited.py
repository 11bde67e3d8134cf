"""Which models the audit log follows (core.audit). Adding one is one line.

`redact` names what is never copied into the log (ID numbers, password hashes,
confidential case text): the entry records only that it changed.
"""

from shegong.core import audit


def _case_label(content) -> str:
    # Case content has no text worth showing (and its text is confidential).
    return f"{content._meta.verbose_name} · {content.case}"


def register_all() -> None:
    from shegong.accounts.models import User
    from shegong.cases import models as cases
    from shegong.clients import models as clients
    from shegong.community.models import Volunteer
    from shegong.delivery.models import ServiceEvent
    from shegong.org.models import Agency, Contract, Station
    from shegong.plans.models import AnnualPlan, PlanProject, ProjectTarget

    identity = ["id_number_encrypted", "id_number_hash", "id_number_masked"]

    audit.register(User, exclude=["last_login"], redact=["password"])
    audit.register(Station)
    audit.register(Agency)
    audit.register(Contract)

    audit.register(clients.Resident, redact=identity)
    audit.register(clients.Household)
    audit.register(clients.Consent)
    audit.register(clients.ClientStatus)
    audit.register(clients.ResidentTag)

    audit.register(cases.Case, redact=["risk_level"])
    audit.register(cases.Assessment, redact=["needs", "strengths", "risk_level"], label=_case_label)
    audit.register(cases.ServicePlan, redact=["goals"], label=_case_label)
    audit.register(cases.CaseNote, redact=["text"], label=_case_label)
    audit.register(cases.CaseReview, redact=["progress"], label=_case_label)
    audit.register(cases.Referral, redact=["reason"], label=_case_label)
    audit.register(cases.Observation, redact=["text"])
    audit.register(cases.AlertRule)

    # Attendance is written in bulk with its event; the event's entry lists it.
    audit.register(ServiceEvent)

    audit.register(AnnualPlan)
    audit.register(PlanProject)
    audit.register(ProjectTarget)

    audit.register(Volunteer)

    from shegong.evaluation import models as evaluation
    from shegong.surveys.models import Survey
    from shegong.workforce import models as workforce

    audit.register(cases.LibraryCase)
    audit.register(evaluation.EvaluationRound)
    audit.register(evaluation.IndicatorGroup)
    audit.register(evaluation.Indicator)
    audit.register(evaluation.StationEvaluation)
    audit.register(evaluation.RoundAssignment)
    audit.register(evaluation.IndicatorScore)
    audit.register(evaluation.Inspection)
    audit.register(evaluation.Rectification)
    audit.register(Survey)
    audit.register(workforce.StaffProfile)
    audit.register(workforce.TrainingRecord)
    audit.register(workforce.SupervisionRecord)
