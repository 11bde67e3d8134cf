"""The station calendar 日程: appointments with clients (预约: a meeting at the
station, a home visit, a phone follow-up) and each staff member's iCalendar feed.

An appointment is planning, not service: it counts nothing. What was done is
recorded as a service (a case note or a service record), which counts through
delivery.counting as every service does (docs/agenda.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from shegong.clients.models import STATION_STAFF, STATION_STAFF_ONLY
from shegong.core.models import TimeStampedModel
from shegong.core.scope import STAFF_WORK, ScopedQuerySet, station_scope


class AppointmentKind(models.TextChoices):
    MEETING = "meeting", _("Meeting at the station")
    HOME_VISIT = "home_visit", _("Home visit")
    PHONE = "phone", _("Phone follow-up")


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    ATTENDED = "attended", _("Attended")
    NO_SHOW = "no_show", _("No-show")
    CANCELLED = "cancelled", _("Cancelled")


class Appointment(TimeStampedModel):
    """预约: a worker's appointment with a resident of their station.

    booked → attended / no-show / cancelled, one service each
    (agenda.services); every other move is refused."""

    station = models.ForeignKey(
        "org.Station",
        on_delete=models.PROTECT,
        related_name="appointments",
        verbose_name=_("station"),
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="appointments",
        verbose_name=_("social worker"),
    )
    client = models.ForeignKey(
        "clients.Resident",
        on_delete=models.PROTECT,
        related_name="appointments",
        verbose_name=_("client"),
    )
    kind = models.CharField(
        _("kind"), max_length=16, choices=AppointmentKind.choices, default=AppointmentKind.MEETING
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=100, blank=True)
    purpose = models.CharField(
        _("purpose"),
        max_length=100,
        help_text=_("A few words (e.g. follow-up, plan review); no case details."),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=AppointmentStatus.choices,
        default=AppointmentStatus.BOOKED,
    )
    status_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )

    objects = ScopedQuerySet.as_manager()
    # Who meets which resident when is the resident's personal data: the
    # station's own staff read and write it; officials, agencies and evaluators
    # read nothing of it.
    scope = station_scope(
        change_roles=STATION_STAFF,
        create_roles=STATION_STAFF,
        hidden_from=STATION_STAFF_ONLY,
        superuser_acts=STAFF_WORK,
    )

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["starts_at", "pk"]
        indexes = [
            models.Index(fields=["station", "starts_at"]),
            models.Index(fields=["worker", "starts_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="appointment_ends_after_start",
                violation_error_message=_("An appointment ends after it starts."),
            ),
        ]

    def __str__(self) -> str:
        # No name: the audit log and the admin show which appointment, not whose.
        return f"{self.get_kind_display()} #{self.pk} {self.starts_at:%Y-%m-%d %H:%M}"


class CalendarFeed(models.Model):
    """A staff member's iCalendar feed: the secret token of its address. Revoking
    deletes the row, so a revoked token is as unknown as a guessed one."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_feed",
        verbose_name=_("staff member"),
    )
    # The holder's station when the feed was issued: scope without reading the account.
    station = models.ForeignKey(
        "org.Station", on_delete=models.CASCADE, related_name="+", verbose_name=_("station")
    )
    token = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    # Each staff member holds their own feed; nobody else reads its token (the
    # pages only ever ask for the user's own row).
    scope = station_scope(
        change_roles=STATION_STAFF,
        create_roles=STATION_STAFF,
        hidden_from=STATION_STAFF_ONLY,
        assigned="user",
        superuser_sees=False,
    )

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"feed of {self.user_id}"


class PlannedKind(models.TextChoices):
    GROUP_SESSION = "group_session", _("Group session")
    ACTIVITY = "activity", _("Community activity")


class PlannedService(TimeStampedModel):
    """日程安排: a group session or a community activity planned for a time to
    come. Planning counts nothing: the service is counted when it is recorded
    (delivery), and a planned group session shows as held once the group's
    session of that number is recorded."""

    station = models.ForeignKey(
        "org.Station",
        on_delete=models.PROTECT,
        related_name="planned_services",
        verbose_name=_("station"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=PlannedKind.choices)
    group = models.ForeignKey(
        "delivery.Group",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="planned_sessions_dated",
        verbose_name=_("group"),
    )
    session_number = models.PositiveSmallIntegerField(_("session"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=150)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=100, blank=True)
    workers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("social workers")
    )
    cancelled_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )

    objects = ScopedQuerySet.as_manager()
    # What the station plans is no one's personal data: read as its services are.
    scope = station_scope(
        change_roles=STATION_STAFF,
        create_roles=STATION_STAFF,
        superuser_acts=STAFF_WORK,
    )

    class Meta:
        verbose_name = _("planned service")
        verbose_name_plural = _("planned services")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["station", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="planned_service_ends_after_start",
                violation_error_message=_("A planned service ends after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(kind="group_session", group__isnull=False, session_number__gte=1)
                | Q(kind="activity", group__isnull=True, session_number__isnull=True),
                name="planned_service_group_iff_session",
                violation_error_message=_("A group session names its group; an activity none."),
            ),
            models.UniqueConstraint(
                fields=["group", "session_number"],
                condition=Q(group__isnull=False, cancelled_at__isnull=True),
                name="planned_service_session_once",
                violation_error_message=_("This session of the group is already planned."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None
