"""What going live needs to remember: when each scheduled command last ran."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ScheduledRun(models.Model):
    """One run of a scheduled command (`shegong scheduled <command>`): the
    configuration check reads the latest to tell whether the timers work."""

    command = models.CharField(_("command"), max_length=40, db_index=True)
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"))
    succeeded = models.BooleanField(_("succeeded"))
    detail = models.TextField(_("detail"), blank=True)

    class Meta:
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")
        ordering = ["-finished_at"]
        indexes = [models.Index(fields=["command", "-finished_at"], name="scheduledrun_latest")]

    def __str__(self) -> str:
        return f"{self.command} {self.finished_at:%Y-%m-%d %H:%M}"
