from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "shegong.evaluation"
    label = "evaluation"
    verbose_name = _("Evaluation and inspection")

    def ready(self) -> None:
        from shegong.core import audit, scope
        from shegong.evaluation import inspection_jobs, models, selectors

        # An evaluator's stations are those of their assignments in open rounds.
        scope.register_evaluator_stations(selectors.evaluator_station_ids)
        inspection_jobs.register()

        audit.register(models.EvaluationRound)
        audit.register(models.IndicatorGroup)
        audit.register(models.Indicator)
        audit.register(models.StationEvaluation)
        audit.register(models.RoundAssignment)
        audit.register(models.IndicatorScore)
        audit.register(models.Inspection)
        audit.register(models.Rectification)
