"""Shared model pieces: statistical domains, the timestamp base, the access log."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from shegong.accounts.roles import Role
from shegong.core.scope import Scope, ScopedQuerySet


class Domain(models.TextChoices):
    """The four statistical domains every person-time belongs to (DESIGN.md)."""

    FAMILY = "family", _("Family")
    ELDERLY = "elderly", _("Elderly")
    YOUTH = "youth", _("Youth")
    FEATURED = "featured", _("Featured")


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class AccessLog(models.Model):
    """A read of sensitive personal data: a priority client's case file, a revealed
    ID number. Written by the application, never edited; directors review their
    station's entries, city officers the whole city's."""

    class Action(models.TextChoices):
        READ_CASE_FILE = "read_case_file", _("Read a case file")
        REVEAL_ID_NUMBER = "reveal_id_number", _("Revealed an ID number")

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=20)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    station = models.ForeignKey(
        "org.Station", on_delete=models.PROTECT, related_name="+", verbose_name=_("station")
    )
    object_type = models.CharField(_("record type"), max_length=30)
    object_id = models.PositiveBigIntegerField(_("record"))
    object_label = models.CharField(_("record label"), max_length=100, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = Scope(
        city="station__street__district__city",
        station="station",
        hidden_from=frozenset(
            {Role.SOCIAL_WORKER, Role.AGENCY_MANAGER, Role.DISTRICT_OFFICER, Role.EVALUATOR}
        ),
    )

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} {self.action} {self.object_label}"
