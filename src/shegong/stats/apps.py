from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def rollups_restore_check() -> tuple[bool, str]:
    """After `shegong restore`: the restored rollups must match the restored raw rows."""
    from shegong.stats import rollups

    drift = rollups.drift()
    if drift:
        return False, (
            f"{len(drift)} statistics rollup row(s) drift from the raw records; "
            "run `shegong rollups --rebuild`."
        )
    return True, "Rollups check: no drift."


class StatsConfig(AppConfig):
    name = "shegong.stats"
    label = "stats"
    verbose_name = _("Statistics")

    def ready(self) -> None:
        from shegong.core import backup, export_jobs
        from shegong.stats import report_tables

        backup.register_restore_check("stats.rollups", rollups_restore_check)
        export_jobs.register(
            report_tables.EXPORT,
            label=_("Statistics report"),
            build=report_tables.report_table,
        )
