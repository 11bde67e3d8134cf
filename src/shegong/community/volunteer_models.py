"""Community activities with sign-up and check-in, and the volunteers' time bank
(时间银行). Imported by `community.models`, kept apart from the meal programme.

- `CommunityActivity`: an upcoming activity of the plan with a time, a capacity
  and a secret token: residents sign up from its QR link (`ResidentSignup`,
  waiting list beyond the capacity), volunteers check in and out by scanning its
  check-in QR (`VolunteerCheckin`). Closing it records the service event through
  `delivery.services`, so person-times and hours are counted by the one path.
- `TimeBankEntry`: an append-only ledger per volunteer; each entry carries the
  balance after it, so the balance is the last entry's and equals the sum of the
  points (`community.timebank`)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shegong.clients.models import STATION_STAFF
from shegong.core.models import TimeStampedModel
from shegong.core.scope import STAFF_WORK, ScopedQuerySet, station_scope

ACTIVITY_SCOPE = station_scope(
    change_roles=STATION_STAFF, create_roles=STATION_STAFF, superuser_acts=STAFF_WORK
)
VIA_ACTIVITY_SCOPE = station_scope(
    "activity", change_roles=STATION_STAFF, create_roles=STATION_STAFF, superuser_acts=STAFF_WORK
)


def new_token() -> str:
    return secrets.token_urlsafe(16)


class CommunityActivity(TimeStampedModel):
    """社区活动: an activity residents sign up for and volunteers check in at."""

    station = models.ForeignKey(
        "org.Station", on_delete=models.PROTECT, related_name="+", verbose_name=_("station")
    )
    project = models.ForeignKey(
        "plans.PlanProject", on_delete=models.PROTECT, related_name="+", verbose_name=_("project")
    )
    title = models.CharField(_("activity"), max_length=150)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveIntegerField(_("places"))
    token = models.CharField(max_length=32, unique=True, default=new_token, editable=False)
    # The service event the sign-up list became (history is partitioned on PostgreSQL).
    event = models.ForeignKey(
        "delivery.ServiceEvent",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        db_constraint=False,
        related_name="+",
        verbose_name=_("service event"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )

    objects = ScopedQuerySet.as_manager()
    scope = ACTIVITY_SCOPE

    class Meta:
        verbose_name = _("community activity")
        verbose_name_plural = _("community activities")
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="activity_ends_after_start",
                violation_error_message=_("The activity must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1),
                name="activity_has_places",
                violation_error_message=_("An activity has at least one place."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ResidentSignupStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITING = "waiting", _("Waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class ResidentSignup(TimeStampedModel):
    """A resident's sign-up (居民报名) from the activity's QR link. Matched to the
    station's resident of that mobile number when there is one; an unmatched
    sign-up is counted by head-count when the activity is closed."""

    activity = models.ForeignKey(
        CommunityActivity, on_delete=models.CASCADE, related_name="signups"
    )
    name = models.CharField(_("name"), max_length=50)
    phone = models.CharField(_("mobile phone"), max_length=11)
    resident = models.ForeignKey(
        "clients.Resident",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resident"),
    )
    status = models.CharField(_("status"), max_length=10, choices=ResidentSignupStatus.choices)
    token = models.CharField(max_length=32, unique=True, default=new_token, editable=False)

    objects = ScopedQuerySet.as_manager()
    scope = VIA_ACTIVITY_SCOPE

    class Meta:
        verbose_name = _("resident sign-up")
        verbose_name_plural = _("resident sign-ups")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "phone"],
                # A purged sign-up's phone is blank (privacy.steps): not a number.
                condition=~Q(status="cancelled") & ~Q(phone=""),
                name="resident_signup_once",
                violation_error_message=_("This mobile number has already signed up."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.activity_id}"


class CheckinStatus(models.TextChoices):
    OPEN = "open", _("Checked in")
    DONE = "done", _("Checked out")
    REQUESTED = "requested", _("Late entry awaiting approval")
    APPROVED = "approved", _("Late entry approved")
    REJECTED = "rejected", _("Late entry rejected")


COUNTED_CHECKINS = (CheckinStatus.DONE, CheckinStatus.APPROVED)


class VolunteerCheckin(TimeStampedModel):
    """A volunteer's own record of service at an activity: checked in and out by
    QR code, or a late entry (补录) that the station approves."""

    activity = models.ForeignKey(
        CommunityActivity, on_delete=models.CASCADE, related_name="checkins"
    )
    volunteer = models.ForeignKey(
        "community.Volunteer",
        on_delete=models.CASCADE,
        related_name="checkins",
        verbose_name=_("volunteer"),
    )
    started_at = models.DateTimeField(_("from"))
    ended_at = models.DateTimeField(_("until"), null=True, blank=True)
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1, default=0)
    status = models.CharField(_("status"), max_length=10, choices=CheckinStatus.choices)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    objects = ScopedQuerySet.as_manager()
    scope = VIA_ACTIVITY_SCOPE

    class Meta:
        verbose_name = _("volunteer check-in")
        verbose_name_plural = _("volunteer check-ins")
        ordering = ["started_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "volunteer"],
                condition=~Q(status="rejected"),
                name="volunteer_checkin_once",
                violation_error_message=_("You have already checked in at this activity."),
            ),
            models.CheckConstraint(
                condition=Q(hours__gte=0) & Q(hours__lte=24),
                name="volunteer_checkin_hours",
                violation_error_message=_("Hours must be between 0 and 24."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer_id}@{self.activity_id} {self.status}"


class TimeBankKind(models.TextChoices):
    EARNED = "earned", _("Service hours")
    REDEEMED = "redeemed", _("Redeemed")
    DONATED = "donated", _("Donated")
    RECEIVED = "received", _("Received")


class TimeBankEntry(models.Model):
    """One line of a volunteer's time bank. Never changed nor deleted: a mistake is
    put right by a further entry. `balance` is the balance after this entry."""

    volunteer = models.ForeignKey(
        "community.Volunteer",
        on_delete=models.PROTECT,
        related_name="time_bank",
        verbose_name=_("volunteer"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=TimeBankKind.choices)
    points = models.DecimalField(_("points"), max_digits=8, decimal_places=1)
    balance = models.DecimalField(_("balance"), max_digits=8, decimal_places=1)
    checkin = models.OneToOneField(
        VolunteerCheckin,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="time_bank_entry",
    )
    counterpart = models.ForeignKey(
        "community.Volunteer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("other volunteer"),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    objects = ScopedQuerySet.as_manager()
    scope = station_scope(
        "volunteer",
        change_roles=STATION_STAFF,
        create_roles=STATION_STAFF,
        superuser_acts=STAFF_WORK,
    )

    class Meta:
        verbose_name = _("time bank entry")
        verbose_name_plural = _("time bank entries")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(balance__gte=0),
                name="time_bank_never_negative",
                violation_error_message=_("The time bank balance cannot go below zero."),
            ),
            models.CheckConstraint(
                condition=~Q(points=0),
                name="time_bank_entry_not_zero",
                violation_error_message=_("An entry moves at least some points."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer_id} {self.kind} {self.points}"

    def save(self, *args, **kwargs):
        # Append-only: the ledger's sum is the balance only if no line ever changes.
        if self.pk is not None:
            raise ValueError("time bank entries are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("time bank entries are never deleted")
