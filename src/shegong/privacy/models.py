"""A resident's request about their personal data 个人信息权利请求 (PIPL art. 44–47):
to see and copy what is held, to correct it, or to have it deleted. Each is logged
with the day it came in and the day it is due (15 working days), and waits on the
station director's queue until it is answered."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shegong.clients.models import STATION_STAFF, STATION_STAFF_ONLY
from shegong.core.models import TimeStampedModel
from shegong.core.roles import Role
from shegong.core.scope import STAFF_WORK, Scope, ScopedQuerySet

# Who answers a request: the station's director (the station's data controller's
# representative); workers take requests in and read them.
ANSWER = "answer"


class RequestKind(models.TextChoices):
    ACCESS = "access", _("See and copy my data")
    CORRECTION = "correction", _("Correct my data")
    DELETION = "deletion", _("Delete my data")


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Answered")
    REFUSED = "refused", _("Refused")


class SubjectRequest(TimeStampedModel):
    station = models.ForeignKey(
        "org.Station", on_delete=models.PROTECT, related_name="+", verbose_name=_("station")
    )
    resident = models.ForeignKey(
        "clients.Resident",
        on_delete=models.PROTECT,
        related_name="data_requests",
        verbose_name=_("resident"),
    )
    kind = models.CharField(_("request"), max_length=12, choices=RequestKind.choices)
    requested_by = models.CharField(
        _("requested by"),
        max_length=50,
        help_text=_("The resident, or the guardian or agent who asks for them."),
    )
    received_on = models.DateField(_("received on"))
    due_on = models.DateField(_("due on"))
    detail = models.TextField(_("what is asked"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    outcome = models.TextField(_("reply"), blank=True)
    answered_on = models.DateField(_("date answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("taken in by"),
    )

    objects = ScopedQuerySet.as_manager()
    scope = Scope(
        station="station",
        create_roles=STATION_STAFF,
        acts={ANSWER: frozenset({Role.STATION_DIRECTOR})},
        hidden_from=STATION_STAFF_ONLY,
        superuser_acts=STAFF_WORK,
    )

    class Meta:
        verbose_name = _("personal data request")
        verbose_name_plural = _("personal data requests")
        ordering = ["status", "due_on", "pk"]
        indexes = [models.Index(fields=["station", "status", "due_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.received_on:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.status == RequestStatus.OPEN
