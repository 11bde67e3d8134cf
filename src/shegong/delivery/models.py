"""Service delivery: every service given is one `ServiceEvent` (a group session, a
community activity, a home visit, a consultation, a casework contact, a pre-meal
activity) with its attendance. Person-times follow the rule of docs/domain.md: one person
present at one event is one person-time; a head-count activity adds its head-count;
every event, and so every person-time, belongs to exactly one statistical domain."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from shegong.clients.models import STATION_STAFF, check_point_of_station
from shegong.core.models import Domain, TimeStampedModel
from shegong.core.scope import STAFF_WORK, ScopedQuerySet, station_scope


class EventKind(models.TextChoices):
    CASEWORK = "casework", _("Casework contact")
    GROUP_SESSION = "group_session", _("Group session")
    ACTIVITY = "activity", _("Community activity")
    HOME_VISIT = "home_visit", _("Home visit")
    CONSULTATION = "consultation", _("Consultation")
    MEAL_ACTIVITY = "meal_activity", _("Pre-meal activity")


# Kinds whose attendance may be a head-count instead of names.
HEADCOUNT_KINDS = frozenset({EventKind.ACTIVITY, EventKind.MEAL_ACTIVITY})


class GroupStage(models.TextChoices):
    """The stages of group work per MZ/T 095-2017, in order."""

    PREPARATION = "preparation", _("Preparation 筹备")
    FORMATION = "formation", _("Formation 形成")
    TRANSITION = "transition", _("Transition 转折")
    MATURITY = "maturity", _("Maturity 成熟")
    ENDING = "ending", _("Ending 结束")


STAGE_ORDER = list(GroupStage.values)


class Group(TimeStampedModel):
    """小组: a group with planned sessions and enrolled members; a group that
    follows the stages of MZ/T 095-2017 (`uses_stages`) moves through them in
    order and is evaluated before it is closed (delivery.group_stages)."""

    station = models.ForeignKey(
        "org.Station", on_delete=models.PROTECT, related_name="groups", verbose_name=_("station")
    )
    project = models.ForeignKey(
        "plans.PlanProject",
        on_delete=models.PROTECT,
        related_name="groups",
        verbose_name=_("project"),
    )
    # 社工点 where the group meets (optional): its sessions are given there.
    point = models.ForeignKey(
        "org.ServicePoint",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="groups",
        verbose_name=_("service point"),
    )
    name = models.CharField(_("name"), max_length=100)
    planned_sessions = models.PositiveSmallIntegerField(_("planned sessions"))
    members = models.ManyToManyField(
        "clients.Resident", blank=True, related_name="groups", verbose_name=_("members")
    )
    leaders = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("group leaders")
    )
    uses_stages = models.BooleanField(_("follows the group work stages"), default=False)
    stage = models.CharField(
        _("stage"), max_length=12, choices=GroupStage.choices, default=GroupStage.PREPARATION
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = station_scope(
        change_roles=STATION_STAFF,
        create_roles=STATION_STAFF,
        superuser_acts=STAFF_WORK,
    )

    class Meta:
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "name"],
                name="group_unique_name_in_project",
                violation_error_message=_("The project already has a group of that name."),
            ),
            models.CheckConstraint(
                condition=Q(planned_sessions__gte=1),
                name="group_has_sessions",
                violation_error_message=_("A group has at least one session."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        check_point_of_station(self)


class ServiceEvent(TimeStampedModel):
    """One service given on one day; the unit that person-times are counted from."""

    station = models.ForeignKey(
        "org.Station",
        on_delete=models.PROTECT,
        related_name="service_events",
        verbose_name=_("station"),
    )
    # Casework contacts of stations without a plan for the year have no project;
    # their domain comes from the case.
    project = models.ForeignKey(
        "plans.PlanProject",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("project"),
    )
    # 社工点 where the service was given (optional): its figures are read per point.
    point = models.ForeignKey(
        "org.ServicePoint",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("service point"),
    )
    domain = models.CharField(_("statistical domain"), max_length=10, choices=Domain.choices)
    kind = models.CharField(_("kind"), max_length=16, choices=EventKind.choices)
    held_on = models.DateField(_("date"))
    # The time it began and ended (a social worker's service hours, workforce.hours);
    # both or neither.
    starts_at = models.TimeField(_("starts at"), null=True, blank=True)
    ends_at = models.TimeField(_("ends at"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=150)
    group = models.ForeignKey(
        Group,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("group"),
    )
    session_number = models.PositiveSmallIntegerField(_("session"), null=True, blank=True)
    case_note = models.OneToOneField(
        "cases.CaseNote", on_delete=models.CASCADE, null=True, blank=True, related_name="event"
    )
    headcount = models.PositiveIntegerField(
        _("head-count"),
        default=0,
        help_text=_("People counted without names (community activities only)."),
    )
    # Kept by the services: named attendance + head-count. The statistics read it.
    person_times = models.PositiveIntegerField(_("person-times"), default=0, editable=False)
    workers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("social workers")
    )
    party_members = models.ManyToManyField(
        "community.PartyMember",
        blank=True,
        related_name="events",
        verbose_name=_("party members taking part"),
    )
    # Idempotent import: the same row of the same file maps to the same event.
    import_key = models.CharField(max_length=64, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
    )

    objects = ScopedQuerySet.as_manager()
    scope = station_scope(
        change_roles=STATION_STAFF,
        create_roles=STATION_STAFF,
        superuser_acts=STAFF_WORK,
    )

    class Meta:
        verbose_name = _("service event")
        verbose_name_plural = _("service events")
        ordering = ["-held_on", "-pk"]
        indexes = [
            models.Index(fields=["station", "held_on"]),
            models.Index(fields=["project", "held_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(headcount__gte=0),
                name="event_headcount_not_negative",
                violation_error_message=_("The head-count cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(starts_at__isnull=True, ends_at__isnull=True)
                | Q(starts_at__isnull=False, ends_at__gt=F("starts_at")),
                name="event_ends_after_it_starts",
                violation_error_message=_(
                    "A service ends after it starts; give both times or neither."
                ),
            ),
            models.UniqueConstraint(
                fields=["station", "import_key"],
                condition=~Q(import_key=""),
                name="event_import_key_unique",
                violation_error_message=_("This import row was already loaded."),
            ),
            models.UniqueConstraint(
                fields=["group", "session_number"],
                condition=Q(group__isnull=False),
                name="event_group_session_unique",
                violation_error_message=_("This session of the group is already recorded."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.held_on} {self.title}"

    def clean(self) -> None:
        check_point_of_station(self)


class Attendance(models.Model):
    """A named resident present at an event: one person-time."""

    event = models.ForeignKey(ServiceEvent, on_delete=models.CASCADE, related_name="attendances")
    resident = models.ForeignKey(
        "clients.Resident",
        on_delete=models.PROTECT,
        related_name="attendances",
        verbose_name=_("resident"),
    )
    # The event's date, copied when the row is written (events never change date):
    # the partition key of the attendance on PostgreSQL (docs/decisions.md).
    held_on = models.DateField(_("date"), editable=False)

    objects = ScopedQuerySet.as_manager()
    scope = station_scope(
        "event",
        change_roles=STATION_STAFF,
        create_roles=STATION_STAFF,
        superuser_acts=STAFF_WORK,
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "resident"],
                name="attendance_once_per_event",
                violation_error_message=_("This resident is already counted at this event."),
            )
        ]
        indexes = [models.Index(fields=["resident", "event"])]

    def __str__(self) -> str:
        return f"{self.resident_id}@{self.event_id}"

    def save(self, *args, **kwargs):
        if self.held_on is None:
            self.held_on = self.event.held_on
        super().save(*args, **kwargs)


class EventVolunteer(models.Model):
    """A volunteer (义工) who helped at an event, and for how many hours."""

    event = models.ForeignKey(
        ServiceEvent, on_delete=models.CASCADE, related_name="volunteer_service"
    )
    volunteer = models.ForeignKey(
        "community.Volunteer",
        on_delete=models.PROTECT,
        related_name="service",
        verbose_name=_("volunteer"),
    )
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)

    objects = ScopedQuerySet.as_manager()
    scope = station_scope(
        "event",
        change_roles=STATION_STAFF,
        create_roles=STATION_STAFF,
        superuser_acts=STAFF_WORK,
    )

    class Meta:
        verbose_name = _("volunteer service")
        verbose_name_plural = _("volunteer service")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "volunteer"],
                name="volunteer_once_per_event",
                violation_error_message=_("This volunteer is already recorded at this event."),
            ),
            models.CheckConstraint(
                condition=Q(hours__gt=0) & Q(hours__lte=24),
                name="volunteer_hours_in_a_day",
                violation_error_message=_("Hours must be more than 0 and at most 24."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer_id}@{self.event_id} {self.hours}h"


class GroupStageChange(models.Model):
    """A move of a group from one stage to another: forward one stage, or back
    with a reason."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(_("from stage"), max_length=12, choices=GroupStage.choices)
    to_stage = models.CharField(_("to stage"), max_length=12, choices=GroupStage.choices)
    reason = models.TextField(_("reason"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    changed_at = models.DateTimeField(_("time"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope = station_scope(
        "group", change_roles=STATION_STAFF, create_roles=STATION_STAFF, superuser_acts=STAFF_WORK
    )

    class Meta:
        verbose_name = _("group stage change")
        verbose_name_plural = _("group stage changes")
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.group_id} {self.from_stage} → {self.to_stage}"


class GroupSessionPlan(TimeStampedModel):
    """小组节次计划: the plan of one group session in a stage; linked to the
    session's service event once it is held."""

    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, related_name="session_plans", verbose_name=_("group")
    )
    stage = models.CharField(_("stage"), max_length=12, choices=GroupStage.choices)
    planned_on = models.DateField(_("planned date"))
    goals = models.TextField(_("goals"))
    activities = models.TextField(_("activities"))
    # Service events are partitioned on PostgreSQL: no database constraint.
    event = models.ForeignKey(
        ServiceEvent,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        db_constraint=False,
        related_name="+",
        verbose_name=_("session held"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )

    objects = ScopedQuerySet.as_manager()
    scope = station_scope(
        "group", change_roles=STATION_STAFF, create_roles=STATION_STAFF, superuser_acts=STAFF_WORK
    )

    class Meta:
        verbose_name = _("group session plan")
        verbose_name_plural = _("group session plans")
        ordering = ["planned_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event"],
                condition=Q(event__isnull=False),
                name="group_plan_once_per_event",
                violation_error_message=_("This session is already linked to a plan."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.group_id} {self.stage} {self.planned_on}"


class GoalsAttained(models.TextChoices):
    MET = "met", _("Goals met")
    PARTLY = "partly", _("Goals partly met")
    NOT_MET = "not_met", _("Goals not met")


class GroupEvaluation(TimeStampedModel):
    """小组评估: the evaluation at the group's end, required before a group that
    follows the stages is closed."""

    group = models.OneToOneField(
        Group, on_delete=models.CASCADE, related_name="evaluation", verbose_name=_("group")
    )
    evaluated_on = models.DateField(_("date"))
    goals_attained = models.CharField(
        _("goals attained"), max_length=10, choices=GoalsAttained.choices
    )
    member_feedback = models.TextField(_("members' feedback"))
    score = models.PositiveSmallIntegerField(_("score (1–10)"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )

    objects = ScopedQuerySet.as_manager()
    scope = station_scope(
        "group", change_roles=STATION_STAFF, create_roles=STATION_STAFF, superuser_acts=STAFF_WORK
    )

    class Meta:
        verbose_name = _("group evaluation")
        verbose_name_plural = _("group evaluations")
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=1) & Q(score__lte=10),
                name="group_evaluation_score_1_to_10",
                violation_error_message=_("The score is from 1 to 10."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.group_id} {self.score}"
