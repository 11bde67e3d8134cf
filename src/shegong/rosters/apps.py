from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RostersConfig(AppConfig):
    name = "shegong.rosters"
    label = "rosters"
    verbose_name = _("Rosters and coverage")

    def ready(self) -> None:
        from shegong.cases import alerts
        from shegong.core import audit, cached, export_jobs
        from shegong.rosters import coverage, coverage_export, models, outreach, rules
        from shegong.stats import rollups

        cached.follow(rules.GROUP, models.RosterCategory, models.VisitRule)

        audit.register(models.RosterCategory)
        audit.register(models.VisitRule)
        audit.register(models.RosterImport)
        rollups.register_table(coverage.TABLE)
        rollups.register_attendance_listener(coverage.attendance_changed)
        alerts.register_rule(outreach.evaluate_missed_visits)
        export_jobs.register(
            coverage_export.EXPORT, label=_("Roster coverage"), build=coverage_export.coverage_table
        )
        from shegong.rosters import import_jobs

        import_jobs.register()
