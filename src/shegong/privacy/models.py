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


# Who may decide a large personal-data export: the station's director, or the
# district's officer (a director's own large export goes to the district).
APPROVE = "approve"
EXPORT_REQUESTERS = STATION_STAFF
EXPORT_APPROVERS = frozenset({Role.STATION_DIRECTOR, Role.DISTRICT_OFFICER})


class ExportKind(models.TextChoices):
    RESIDENTS = "residents", _("Resident list")
    ROSTER = "roster", _("Roster extract")
    SURVEY_CONTACTS = "survey_contacts", _("Survey contacts")
    CASE_FILE = "case_file", _("Case file")
    MEAL_SETTLEMENT = "meal_settlement", _("Meal settlement, meal by meal")


class ExportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class PersonalExport(TimeStampedModel):
    """A file of personal data taken out of the system 个人信息导出: who asked, why,
    which records (fixed when asked, so that what is approved is what leaves), and
    — above `settings.PERSONAL_EXPORT_APPROVAL_ROWS` rows — who approved it. The
    file itself is made at each download, watermarked with this record's number,
    the user, the time and the reason."""

    station = models.ForeignKey(
        "org.Station", on_delete=models.PROTECT, related_name="+", verbose_name=_("station")
    )
    kind = models.CharField(_("what"), max_length=20, choices=ExportKind.choices)
    params = models.JSONField(_("filters"), default=dict, blank=True)
    record_ids = models.JSONField(default=list, editable=False)
    rows = models.PositiveIntegerField(_("number of records"))
    reason = models.TextField(_("reason"), max_length=500)
    status = models.CharField(
        _("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_comment = models.TextField(_("comment"), blank=True)
    downloads = models.PositiveIntegerField(_("downloads"), default=0)
    last_downloaded_at = models.DateTimeField(_("last downloaded"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    # A worker reads their own exports; the director and the district's officers
    # read the station's (and decide the large ones); agencies, evaluators and the
    # street office read none.
    scope = Scope(
        city="station__street__district__city",
        district="station__street__district",
        station="station",
        create_roles=EXPORT_REQUESTERS,
        acts={APPROVE: EXPORT_APPROVERS},
        assigned="requested_by",
        hidden_from=frozenset({Role.EVALUATOR, Role.AGENCY_MANAGER}),
        superuser_acts=STAFF_WORK,
    )

    class Meta:
        verbose_name = _("personal data export")
        verbose_name_plural = _("personal data exports")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["station", "status"])]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        return f"E{self.pk:06d}"
