"""Case management (个案管理) following the national steps 接案 → 预估 → 计划 →
介入 → 评估 → 结案, with referral and reopening; observation records (观察记录)
and the early-warning alerts (预警) raised from them."""

from __future__ import annotations

import dataclasses

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shegong.cases.content import content_scope

# The scored assessment tools are models of this app, kept in their own module.
from shegong.cases.instruments import Instrument, InstrumentScore  # noqa: F401
from shegong.clients.models import STATION_STAFF, STATION_STAFF_ONLY
from shegong.core.documents import DocumentKind, document_storage
from shegong.core.models import Domain, TimeStampedModel
from shegong.core.roles import Role
from shegong.core.scope import STAFF_WORK, Scope, ScopedQuerySet, may, station_scope

DIRECTOR_ONLY = frozenset({Role.STATION_DIRECTOR})
# The scope action of assigning or transferring a case to workers of its station.
ASSIGN = "assign"
# The scope action of working on a case file: reading its content and taking
# its steps. The case's assigned workers and the station director; nobody else,
# not even a superuser (the same rule as `content_scope` for the file's parts).
WORK = "work"
# The scope action of publishing or returning a nominated excellent case.
LIBRARY_REVIEW = "review"


# The sender's acts on a referral (`Referral.scope`; the workflow is
# referrals.ReferralTrack): withdraw it, follow it up and record its outcome.
REFERRAL_WITHDRAW = "withdraw"
REFERRAL_FOLLOW_UP = "follow_up"


class CaseStatus(models.TextChoices):
    INTAKE = "intake", _("Intake")
    ASSESSED = "assessed", _("Assessed")
    PLANNED = "planned", _("Plan in place")
    IN_SERVICE = "in_service", _("In intervention")
    REVIEWED = "reviewed", _("Reviewed")
    REFERRED = "referred", _("Referred")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = (
    CaseStatus.INTAKE,
    CaseStatus.ASSESSED,
    CaseStatus.PLANNED,
    CaseStatus.IN_SERVICE,
    CaseStatus.REVIEWED,
)


class CaseSource(models.TextChoices):
    WALK_IN = "walk_in", _("Walk-in")
    REFERRAL = "referral", _("Referral")
    OUTREACH = "outreach", _("Outreach")
    MEAL_PROGRAMME = "meal_programme", _("Meal programme")
    HOTLINE = "hotline", _("Phone or hotline")
    COMMUNITY = "community", _("Community or party member report")


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRISIS = "crisis", _("Crisis")


class CaseOutcome(models.TextChoices):
    GOALS_MET = "goals_met", _("Goals met")
    PARTLY_MET = "partly_met", _("Goals partly met")
    NOT_MET = "not_met", _("Goals not met")
    CLIENT_WITHDREW = "client_withdrew", _("Client withdrew")
    MOVED_AWAY = "moved_away", _("Client moved away")
    DECEASED = "deceased", _("Client deceased")


class Case(TimeStampedModel):
    """个案. Its existence and counts are visible in scope; its content is not."""

    station = models.ForeignKey(
        "org.Station", on_delete=models.PROTECT, related_name="cases", verbose_name=_("station")
    )
    client = models.ForeignKey(
        "clients.Resident",
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("client"),
    )
    number = models.CharField(_("case number"), max_length=20)
    domain = models.CharField(_("domain"), max_length=10, choices=Domain.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=CaseStatus.choices, default=CaseStatus.INTAKE
    )
    source = models.CharField(_("source"), max_length=20, choices=CaseSource.choices)
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=CaseOutcome.choices, blank=True)
    workers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="caseload",
        verbose_name=_("assigned workers"),
        blank=True,
    )
    # Kept by the services for the alert rules; content, never shown to officials.
    risk_level = models.CharField(
        _("risk level"), max_length=10, choices=RiskLevel.choices, blank=True
    )
    last_contact_on = models.DateField(_("last contact"), null=True, blank=True)
    review_due_on = models.DateField(_("plan review due"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ScopedQuerySet.as_manager()
    # The station's staff open cases and read that they exist; the file is
    # worked on by its assigned workers and the director (WORK: a worker is
    # narrowed to the cases naming them); only the director assigns.
    scope = station_scope(
        change_roles=STATION_STAFF,
        create_roles=STATION_STAFF,
        acts={ASSIGN: DIRECTOR_ONLY, WORK: STATION_STAFF},
        assigned="workers",
        assigned_acts=frozenset({WORK}),
        hidden_from=frozenset({Role.EVALUATOR}),
        superuser_acts=STAFF_WORK,
    )

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-opened_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["station", "number"],
                name="case_unique_number_at_station",
                violation_error_message=_("This case number is already used at the station."),
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("opened_on")),
                name="case_closes_after_opening",
                violation_error_message=_("A case cannot close before it opens."),
            ),
        ]
        indexes = [models.Index(fields=["station", "status"])]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


def keeps_own_caseload(user) -> bool:
    """Whether `user` works on cases without assigning them (a social worker):
    their page is their own caseload, a case they open without naming workers
    is theirs, and so is the alert of the crisis they flag. Whoever assigns
    (the director) or does not work on cases at all sees the station's."""
    return may(user, WORK, Case) and not may(user, ASSIGN, Case)


class CaseContent(TimeStampedModel):
    """A piece of a case file: written by a worker, confidential (`content_scope`).
    Each concrete model adds its `case` link and its own fields."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )

    objects = ScopedQuerySet.as_manager()
    scope = content_scope("case")

    class Meta:
        abstract = True


class Assessment(CaseContent):
    """预估: needs and risk."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assessments")
    assessed_on = models.DateField(_("assessed on"))
    needs = models.TextField(_("needs"))
    strengths = models.TextField(_("strengths and resources"), blank=True)
    risk_level = models.CharField(_("risk level"), max_length=10, choices=RiskLevel.choices)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["-assessed_on", "-pk"]


class ServicePlan(CaseContent):
    """服务计划: goals and when to review them."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="plans")
    planned_on = models.DateField(_("planned on"))
    goals = models.TextField(_("goals"))
    review_due_on = models.DateField(_("review due on"))

    class Meta:
        verbose_name = _("service plan")
        verbose_name_plural = _("service plans")
        ordering = ["-planned_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(review_due_on__gte=models.F("planned_on")),
                name="plan_review_after_planning",
                violation_error_message=_("The review date cannot be before the plan date."),
            )
        ]


class ServiceType(models.TextChoices):
    # For priority clients (重点服务对象).
    RESOURCE_LINKING = "resource_linking", _("Resource linking")
    EMERGENCY_AID = "emergency_aid", _("Emergency aid")
    CRISIS_INTERVENTION = "crisis_intervention", _("Crisis intervention")
    STRESS_RELIEF = "stress_relief", _("Stress relief")
    EMOTIONAL_SUPPORT = "emotional_support", _("Emotional support")
    SUPPORT_NETWORK = "support_network", _("Support-network building")
    # For general clients (一般服务对象).
    PREVENTIVE = "preventive", _("Preventive")
    SUPPORTIVE = "supportive", _("Supportive")
    THERAPEUTIC = "therapeutic", _("Therapeutic")


PRIORITY_SERVICE_TYPES = frozenset(
    {
        ServiceType.RESOURCE_LINKING,
        ServiceType.EMERGENCY_AID,
        ServiceType.CRISIS_INTERVENTION,
        ServiceType.STRESS_RELIEF,
        ServiceType.EMOTIONAL_SUPPORT,
        ServiceType.SUPPORT_NETWORK,
    }
)
GENERAL_SERVICE_TYPES = frozenset(
    {ServiceType.PREVENTIVE, ServiceType.SUPPORTIVE, ServiceType.THERAPEUTIC}
)


class ContactMethod(models.TextChoices):
    SESSION = "session", _("Casework session")
    HOME_VISIT = "home_visit", _("Home visit")
    PHONE = "phone", _("Phone")
    CONSULTATION = "consultation", _("Consultation")


class CaseNote(CaseContent):
    """介入记录: a dated intervention. Each one is a casework contact that counts
    one person-time for the client, in the case's domain."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    happened_on = models.DateField(_("date"))
    service_type = models.CharField(_("service type"), max_length=24, choices=ServiceType.choices)
    method = models.CharField(_("method"), max_length=16, choices=ContactMethod.choices)
    text = models.TextField(_("note"))

    class Meta:
        verbose_name = _("intervention note")
        verbose_name_plural = _("intervention notes")
        ordering = ["-happened_on", "-pk"]


class CaseReview(CaseContent):
    """评估: progress against the plan's goals."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField(_("reviewed on"))
    progress = models.TextField(_("progress"))
    next_review_on = models.DateField(_("next review on"), null=True, blank=True)

    class Meta:
        verbose_name = _("case review")
        verbose_name_plural = _("case reviews")
        ordering = ["-reviewed_on", "-pk"]


class Referral(CaseContent):
    """转介: to another station or an outside agency, only with consent to share."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    referred_on = models.DateField(_("referred on"))
    to_station = models.ForeignKey(
        "org.Station",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("to station"),
    )
    to_organisation = models.CharField(_("to organisation"), max_length=100, blank=True)
    reason = models.TextField(_("reason"))

    scope = content_scope(
        "case", acts={REFERRAL_WITHDRAW: STATION_STAFF, REFERRAL_FOLLOW_UP: STATION_STAFF}
    )

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-referred_on", "-pk"]


class CaseAction(models.TextChoices):
    OPENED = "opened", _("Opened (intake)")
    ASSESSED = "assessed", _("Assessed")
    PLANNED = "planned", _("Service plan made")
    NOTE_ADDED = "note_added", _("Intervention recorded")
    REVIEWED = "reviewed", _("Reviewed")
    REFERRED = "referred", _("Referred")
    CLOSED = "closed", _("Closed")
    REOPENED = "reopened", _("Reopened")
    ASSIGNED = "assigned", _("Assigned or transferred")
    SIGNOFF_REQUESTED = "signoff_requested", _("Sent for the director's sign-off")
    SIGNOFF_APPROVED = "signoff_approved", _("Signed off")
    SIGNOFF_RETURNED = "signoff_returned", _("Returned by the director")
    DOCUMENT_ADDED = "document_added", _("Document attached")
    DOCUMENT_DELETED = "document_deleted", _("Document deleted")
    SCORED = "scored", _("Assessment tool scored")
    # A case brought over from the city's previous system (golive.records_import):
    # its step, workers and a summary of its history there, in `detail`.
    MIGRATED = "migrated", _("Migrated from the previous system")


class CaseEvent(models.Model):
    """The case's own history: who did what, when (transitions, assignments)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("time"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    action = models.CharField(_("action"), max_length=30, choices=CaseAction.choices)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = content_scope("case")

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.case} {self.action}"


class ObservationSource(models.TextChoices):
    VISIT = "visit", _("Home visit")
    CANTEEN = "canteen", _("Canteen / meal programme")
    CALL = "call", _("Phone call")
    ACTIVITY = "activity", _("Activity")
    NEIGHBOUR = "neighbour", _("Neighbour or volunteer report")


class Observation(TimeStampedModel):
    """观察记录: a short, continuous observation on a client."""

    station = models.ForeignKey(
        "org.Station", on_delete=models.PROTECT, related_name="+", verbose_name=_("station")
    )
    resident = models.ForeignKey(
        "clients.Resident",
        on_delete=models.CASCADE,
        related_name="observations",
        verbose_name=_("client"),
    )
    observed_on = models.DateField(_("date"))
    source = models.CharField(_("source"), max_length=12, choices=ObservationSource.choices)
    text = models.TextField(_("observation"))
    crisis = models.BooleanField(_("crisis flag"), default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )

    objects = ScopedQuerySet.as_manager()
    scope = Scope(
        station="station",
        change_roles=STATION_STAFF,
        create_roles=STATION_STAFF,
        hidden_from=STATION_STAFF_ONLY,
        superuser_acts=STAFF_WORK,
    )

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        ordering = ["-observed_on", "-pk"]


class AlertKind(models.TextChoices):
    HIGH_RISK_NO_CONTACT = "high_risk_no_contact", _("High-risk case without contact")
    CRISIS_FLAG = "crisis_flag", _("Crisis flagged in an observation")
    MEAL_ABSENCE = "meal_absence", _("Elder absent from the canteen")
    PLAN_REVIEW_OVERDUE = "plan_review_overdue", _("Case plan review overdue")
    ROSTER_VISIT_OVERDUE = "roster_visit_overdue", _("Roster person's visit overdue")
    REFERRAL_FOLLOW_UP = "referral_follow_up", _("Referral follow-up overdue")


# Thresholds used where a station has not configured its own rule.
DEFAULT_THRESHOLDS = {
    AlertKind.HIGH_RISK_NO_CONTACT: 14,
    AlertKind.CRISIS_FLAG: 0,
    AlertKind.MEAL_ABSENCE: 3,
    AlertKind.PLAN_REVIEW_OVERDUE: 0,
    # Days of grace after a roster person's visit fell due (rosters.outreach).
    AlertKind.ROSTER_VISIT_OVERDUE: 0,
    # Days of grace after a referral's follow-up date (referrals.follow_up).
    AlertKind.REFERRAL_FOLLOW_UP: 0,
}


class AlertRule(TimeStampedModel):
    """A station's setting of one alert rule; absent rows mean the defaults."""

    station = models.ForeignKey(
        "org.Station",
        on_delete=models.CASCADE,
        related_name="alert_rules",
        verbose_name=_("station"),
    )
    kind = models.CharField(_("rule"), max_length=24, choices=AlertKind.choices)
    threshold_days = models.PositiveIntegerField(_("days"))
    enabled = models.BooleanField(_("enabled"), default=True)

    objects = ScopedQuerySet.as_manager()
    scope = Scope(
        station="station",
        change_roles=DIRECTOR_ONLY,
        create_roles=DIRECTOR_ONLY,
        hidden_from=STATION_STAFF_ONLY,
        superuser_acts=STAFF_WORK,
    )

    class Meta:
        verbose_name = _("alert rule")
        verbose_name_plural = _("alert rules")
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["station", "kind"],
                name="alert_rule_unique_per_station",
                violation_error_message=_("The station already has this rule."),
            )
        ]


class AlertStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    RESOLVED = "resolved", _("Resolved")


class Alert(TimeStampedModel):
    """预警: raised by a rule for the assigned worker and the director; acknowledged
    and resolved with a note, never silently dropped."""

    station = models.ForeignKey(
        "org.Station", on_delete=models.PROTECT, related_name="alerts", verbose_name=_("station")
    )
    kind = models.CharField(_("rule"), max_length=24, choices=AlertKind.choices)
    resident = models.ForeignKey(
        "clients.Resident",
        on_delete=models.CASCADE,
        related_name="alerts",
        verbose_name=_("client"),
    )
    case = models.ForeignKey(
        Case,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="alerts",
        verbose_name=_("case"),
    )
    observation = models.ForeignKey(
        Observation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The episode the condition is about, e.g. "case:12:2026-03-01".
    subject = models.CharField(max_length=60, editable=False)
    # The figures behind the alert (days, dates, case number), for its message.
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=AlertStatus.choices, default=AlertStatus.OPEN
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="alerts",
        verbose_name=_("assigned to"),
    )
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution_note = models.TextField(_("resolution"), blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = Scope(
        station="station",
        # A worker sees the alerts assigned to them or on their cases.
        assigned=("assigned_to", "case__workers"),
        change_roles=STATION_STAFF,
        hidden_from=STATION_STAFF_ONLY,
        distinct=True,
        superuser_acts=STAFF_WORK,
    )

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # Subjects name an episode (a case and its last contact, an observation,
            # an absence streak), so one condition never raises two alerts, and a
            # resolved alert is not raised again for the same episode.
            models.UniqueConstraint(
                fields=["kind", "subject"],
                name="alert_once_per_episode",
                violation_error_message=_("An alert was already raised for this."),
            )
        ]
        indexes = [models.Index(fields=["station", "status"])]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        """The alert's message in the reader's language."""
        from django.utils.translation import gettext

        templates = {
            AlertKind.HIGH_RISK_NO_CONTACT: gettext(
                "High-risk case %(case)s: no contact for %(days)s days."
            ),
            AlertKind.CRISIS_FLAG: gettext("Crisis flagged in an observation on %(date)s."),
            AlertKind.MEAL_ABSENCE: gettext(
                "Absent from the canteen for the last %(days)s service days."
            ),
            AlertKind.PLAN_REVIEW_OVERDUE: gettext(
                "Plan review of case %(case)s was due on %(date)s."
            ),
            AlertKind.ROSTER_VISIT_OVERDUE: gettext(
                "On the roster (%(categories)s): a home visit was due on %(date)s."
            ),
            AlertKind.REFERRAL_FOLLOW_UP: gettext(
                "Referral of case %(case)s: a follow-up was due on %(date)s."
            ),
        }
        return templates[self.kind] % {
            "case": "",
            "days": "",
            "date": "",
            "categories": "",
            **self.detail,
        }

    @property
    def is_unresolved(self) -> bool:
        return self.status != AlertStatus.RESOLVED


class LibraryStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    NOMINATED = "nominated", _("Nominated")
    RETURNED = "returned", _("Returned for changes")
    PUBLISHED = "published", _("Published")


class LibraryCase(TimeStampedModel):
    """优秀案例: an anonymised write-up of a closed case, nominated by the station
    director and published by a city officer into a library every member of
    staff of every station reads (for training).

    `case` links the entry to its source only inside the nominating station
    and for the anonymisation check; no page or API answer shows it, nor the
    client or the staff, only the station's name."""

    case = models.OneToOneField(
        Case, on_delete=models.PROTECT, related_name="library_entry", verbose_name=_("case")
    )
    station = models.ForeignKey(
        "org.Station", on_delete=models.PROTECT, related_name="+", verbose_name=_("station")
    )
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    title = models.CharField(_("title"), max_length=120)
    domain = models.CharField(_("domain"), max_length=10, choices=Domain.choices)
    # The year the case closed: the library's year filter.
    year = models.PositiveIntegerField(_("year"))
    background = models.TextField(_("background"))
    assessment = models.TextField(_("assessment"))
    intervention = models.TextField(_("intervention"))
    outcome = models.TextField(_("outcome"))
    reflection = models.TextField(_("reflection"))
    status = models.CharField(
        _("status"), max_length=10, choices=LibraryStatus.choices, default=LibraryStatus.DRAFT
    )
    review_comment = models.TextField(_("review comment"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    published_on = models.DateField(_("published on"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ScopedQuerySet.as_manager()
    scope = Scope(
        # Unpublished entries: the nominating station's director and city officers.
        station="station",
        city="station__street__district__city",
        # The director writes the entry up and nominates it (change, create);
        # city officers and superusers review it: publish or return.
        change_roles=DIRECTOR_ONLY,
        create_roles=DIRECTOR_ONLY,
        acts={LIBRARY_REVIEW: frozenset({Role.CITY_OFFICER})},
        superuser_acts=frozenset({LIBRARY_REVIEW}),
        hidden_from=frozenset(
            {Role.SOCIAL_WORKER, Role.AGENCY_MANAGER, Role.DISTRICT_OFFICER, Role.EVALUATOR}
        ),
        # Published entries: everyone, as a library.
        public=Q(status="published"),
    )

    class Meta:
        verbose_name = _("excellent case")
        verbose_name_plural = _("excellent cases")
        ordering = ["-published_on", "-pk"]
        indexes = [models.Index(fields=["status", "domain", "year"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_editable(self) -> bool:
        return self.status in (LibraryStatus.DRAFT, LibraryStatus.RETURNED)


# --- Supervisor sign-off (督导审批) -------------------------------------------------

# The scope action of approving or returning a step waiting for sign-off.
SIGN_OFF = "sign_off"


class SignoffStep(models.TextChoices):
    ASSESSMENT = "assessment", _("Assessment of a high-risk case")
    PLAN = "plan", _("Service plan")
    CLOSURE = "closure", _("Closure")


class SignoffStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for sign-off")
    APPROVED = "approved", _("Signed off")
    RETURNED = "returned", _("Returned")


# The risk levels whose assessment a station may ask to be signed off.
HIGH_RISK_LEVELS = frozenset({RiskLevel.HIGH, RiskLevel.CRISIS})


class SignoffSetting(TimeStampedModel):
    """A station's choice of the case steps its director signs off; no row: none."""

    station = models.OneToOneField(
        "org.Station",
        on_delete=models.CASCADE,
        related_name="signoff_setting",
        verbose_name=_("station"),
    )
    high_risk_assessment = models.BooleanField(_("assessment of a high-risk case"), default=False)
    service_plan = models.BooleanField(_("service plan"), default=False)
    closure = models.BooleanField(_("closure"), default=False)

    objects = ScopedQuerySet.as_manager()
    scope = Scope(
        station="station",
        change_roles=DIRECTOR_ONLY,
        create_roles=DIRECTOR_ONLY,
        hidden_from=STATION_STAFF_ONLY,
        superuser_acts=STAFF_WORK,
    )

    class Meta:
        verbose_name = _("sign-off setting")
        verbose_name_plural = _("sign-off settings")
        ordering = ["station_id"]

    def __str__(self) -> str:
        return str(self.station)

    def asks_for(self, step: str) -> bool:
        return {
            SignoffStep.ASSESSMENT: self.high_risk_assessment,
            SignoffStep.PLAN: self.service_plan,
            SignoffStep.CLOSURE: self.closure,
        }[step]


class Signoff(CaseContent):
    """督导审批: a step of a case waiting for, or given, the director's sign-off.
    `author` asked for it. A closure asked for is not in effect until signed off
    (its date, outcome and summary wait here); an assessment or a plan is, but
    a plan cannot follow an assessment that waits or was returned."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="signoffs")
    step = models.CharField(_("step"), max_length=12, choices=SignoffStep.choices)
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, null=True, blank=True, related_name="signoffs"
    )
    plan = models.ForeignKey(
        ServicePlan, on_delete=models.CASCADE, null=True, blank=True, related_name="signoffs"
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=CaseOutcome.choices, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=SignoffStatus.choices, default=SignoffStatus.PENDING
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
    comment = models.TextField(_("comment"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ScopedQuerySet.as_manager()
    # Read as the case's content; signed off by the station's director only.
    scope = dataclasses.replace(content_scope("case"), acts={SIGN_OFF: DIRECTOR_ONLY})

    class Meta:
        verbose_name = _("sign-off")
        verbose_name_plural = _("sign-offs")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "step"],
                condition=Q(status="pending"),
                name="signoff_one_pending_per_step",
                violation_error_message=_("This step of the case already waits for sign-off."),
            )
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.case} {self.get_step_display()}"


# --- Documents (文件附件) ------------------------------------------------------------

# The scope action of deleting a document: its uploader (among the case's
# workers) or the station director (DELETE_ANY_DOCUMENT: any of the case's).
DELETE_DOCUMENT = "delete_document"
DELETE_ANY_DOCUMENT = "delete_any_document"


# DocumentKind (imported above) is core.documents', shared with a resident's documents.


def document_path(instance: CaseDocument, filename: str) -> str:
    # The stored name is ours, never the uploader's: no path tricks, no HTML names.
    return f"cases/documents/{instance.case.station_id}/{instance.stored_name}"


class CaseDocument(CaseContent):
    """A file attached to a case (a consent form, a certificate, a photo of a
    home visit): read and downloaded only by those who read the case's content;
    kept outside the web root (SHEGONG_DOCUMENT_ROOT, never served by URL) and sent only as
    an attachment; every download is written to the access log. `author` is
    the uploader."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    title = models.CharField(_("description"), max_length=200, blank=True)
    file = models.FileField(
        _("file"), upload_to=document_path, storage=document_storage, max_length=200
    )
    stored_name = models.CharField(max_length=80, editable=False)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100, editable=False)
    size = models.PositiveIntegerField(_("size"))

    objects = ScopedQuerySet.as_manager()
    scope = dataclasses.replace(
        content_scope("case"),
        acts={DELETE_DOCUMENT: STATION_STAFF, DELETE_ANY_DOCUMENT: DIRECTOR_ONLY},
    )

    class Meta:
        verbose_name = _("case document")
        verbose_name_plural = _("case documents")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.original_name
