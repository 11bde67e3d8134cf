"""Evaluation of purchased services (评估) and supervision (监督检查).

An evaluation round (评估轮次, mid-term 中期 or final 末期) carries its indicator
system: weighted groups, and inside each group indicators that are either computed
from the platform's own figures or scored by a third-party evaluator with evidence.
Each station of the round has one sheet (`StationEvaluation`) that its assigned
evaluators fill in and submit; the city officer then finalises the round.

Inspections (监督检查) are visits by district or city officers with a checklist,
findings and rectification items (整改) tracked to closure; an overdue
rectification raises one `RectificationAlert`, resolved when the item closes.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shegong.core.models import TimeStampedModel
from shegong.core.roles import Role
from shegong.core.scope import CHANGE, CREATE, Scope, ScopedQuerySet, station_scope

CITY_OFFICER_ONLY = frozenset({Role.CITY_OFFICER})
OFFICERS = frozenset({Role.CITY_OFFICER, Role.DISTRICT_OFFICER})
# Front-line workers have no part in evaluation; evaluators none in inspection.
NOT_FOR_WORKERS = frozenset({Role.SOCIAL_WORKER})


class RoundKind(models.TextChoices):
    MID_TERM = "mid_term", _("Mid-term evaluation")
    FINAL = "final", _("Final evaluation")


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for scoring")
    FINALISED = "finalised", _("Finalised")


def _by_stage(path: str = "") -> dict[str, Q]:
    """The stage rule of a round's records, reached through `path`: the station
    side (its director, its agency) sees them only once the round is finalised,
    an evaluator only while it is open for scoring."""
    status = f"{path}__status" if path else "status"
    system = f"{path}__system" if path else "system"
    finalised = Q(**{status: RoundStatus.FINALISED})
    return {
        Role.STATION_DIRECTOR: finalised,
        Role.AGENCY_MANAGER: finalised,
        Role.EVALUATOR: Q(**{status: RoundStatus.OPEN}),
        # The buyer scores its branch of a points tree while the round is open,
        # and reads the result once finalised.
        Role.STREET_OFFICE: finalised | Q(**{status: RoundStatus.OPEN, system: "points"}),
    }


# The stage rule of the rounds themselves (evaluation.selectors.rounds_visible_to).
ROUND_STAGE = _by_stage()


class System(models.TextChoices):
    """How a round's indicators add up (docs/architecture.md "Evaluation and inspection")."""

    # Five weighted groups, totals 0–100, one kind of scorer (the evaluators).
    WEIGHTED = "weighted", _("Weighted groups (100)")
    # The city's three-level tree of points (1000), each branch scored by its group.
    POINTS = "points", _("Points tree (1000)")


class Scorer(models.TextChoices):
    """Who scores a branch of a points tree (Guangzhou 2019: 700 / 200 / 100)."""

    PROFESSIONAL = "professional", _("Third-party professional evaluation")
    BUYER = "buyer", _("Buyer (street office)")
    SUPERVISOR = "supervisor", _("District supervisor")


class Veto(models.TextChoices):
    """What a failed veto indicator (the finance review) does to the result."""

    NONE = "", _("No veto")
    FAIL = "fail", _("Fails the result")
    CAP = "cap", _("Caps the total")


class EvaluationRound(TimeStampedModel):
    """评估轮次: city-wide (no district) or district-wide, for a year's months."""

    name = models.CharField(_("name"), max_length=100)
    city = models.ForeignKey(
        "org.City", on_delete=models.PROTECT, related_name="+", verbose_name=_("city")
    )
    district = models.ForeignKey(
        "org.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
        help_text=_("Leave empty for a city-wide round."),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=RoundKind.choices)
    system = models.CharField(
        _("indicator system"), max_length=10, choices=System.choices, default=System.WEIGHTED
    )
    year = models.PositiveSmallIntegerField(_("year"))
    month_from = models.PositiveSmallIntegerField(
        _("from month"), default=1, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    month_to = models.PositiveSmallIntegerField(
        _("to month"), default=12, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # When the evaluators' scores are due (the evaluators' home lists it).
    scoring_due_on = models.DateField(_("scoring deadline"), null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    finalised_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ScopedQuerySet.as_manager()
    scope = Scope(
        city="city",
        district=("district", "evaluations__station__street__district"),
        street="evaluations__station__street",
        agency="evaluations__station__agency",
        station="evaluations__station",
        evaluators="evaluations__assignments__evaluator",
        change_roles=CITY_OFFICER_ONLY,
        create_roles=CITY_OFFICER_ONLY,
        # Closing the round for scoring: the city officer's alone.
        acts={"finalise": CITY_OFFICER_ONLY},
        # Not `role_conditions=ROUND_STAGE`: a station's director still names an
        # open round in a filter (and gets no rows, not a 400); the lists of
        # rounds apply the stage with `core.scope.role_condition`.
        hidden_from=NOT_FOR_WORKERS,
        distinct=True,
    )

    class Meta:
        verbose_name = _("evaluation round")
        verbose_name_plural = _("evaluation rounds")
        ordering = ["-year", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(month_from__lte=models.F("month_to")),
                name="round_months_in_order",
                violation_error_message=_("The first month must not be after the last."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100),
                name="round_year_plausible",
                violation_error_message=_("The year is not plausible."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def months(self) -> int:
        return self.month_to - self.month_from + 1


class IndicatorGroup(models.Model):
    """A weighted group of indicators (e.g. 服务产出 service output, weight 40)."""

    round = models.ForeignKey(
        EvaluationRound, on_delete=models.CASCADE, related_name="groups", verbose_name=_("round")
    )
    name = models.CharField(_("name"), max_length=50)
    # Weighted system: the group's weight (the weights add up to 100). Points tree:
    # empty; the group is a first-level indicator worth the points of its leaves.
    weight = models.PositiveSmallIntegerField(
        _("weight"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    scorer = models.CharField(
        _("scored by"), max_length=12, choices=Scorer.choices, default=Scorer.PROFESSIONAL
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = ScopedQuerySet.as_manager()
    scope = Scope(
        city="round__city",
        district=("round__district", "round__evaluations__station__street__district"),
        street="round__evaluations__station__street",
        agency="round__evaluations__station__agency",
        station="round__evaluations__station",
        evaluators="round__evaluations__assignments__evaluator",
        change_roles=CITY_OFFICER_ONLY,
        create_roles=CITY_OFFICER_ONLY,
        hidden_from=NOT_FOR_WORKERS,
        distinct=True,
    )

    class Meta:
        verbose_name = _("indicator group")
        verbose_name_plural = _("indicator groups")
        ordering = ["round", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "name"],
                name="indicator_group_unique_name",
                violation_error_message=_("The round already has a group of that name."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.weight})" if self.weight else self.name


class Method(models.TextChoices):
    COMPUTED = "computed", _("Computed from platform data")
    SCORED = "scored", _("Scored by the evaluator")


class Indicator(models.Model):
    """One indicator: its maximum score, its weight inside the group, and how it
    is filled (a computation from the registry in `computed.py`, or an evaluator)."""

    group = models.ForeignKey(
        IndicatorGroup,
        on_delete=models.CASCADE,
        related_name="indicators",
        verbose_name=_("group"),
    )
    # Points tree: a second-level indicator has no parent, a third-level one names
    # its second-level indicator; only leaves are scored.
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent indicator"),
    )
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("scoring guide"), blank=True)
    max_score = models.DecimalField(
        _("maximum score"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    weight = models.PositiveSmallIntegerField(
        _("weight in group"), default=1, validators=[MinValueValidator(1)]
    )
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    computation = models.CharField(
        _("computation"),
        max_length=30,
        blank=True,
        help_text=_("For computed indicators: the code of the platform figure."),
    )
    # Counted in the party-building share (党建, at least 11.5 % of the total).
    party_building = models.BooleanField(_("party building"), default=False)
    # A veto indicator (e.g. the finance review 财务审查) adds no points: scored
    # below its maximum it fails the result or caps the total at `veto_cap`.
    veto = models.CharField(_("veto"), max_length=4, choices=Veto.choices, blank=True, default="")
    veto_cap = models.DecimalField(
        _("total capped at"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = ScopedQuerySet.as_manager()
    scope = Scope(
        city="group__round__city",
        district=(
            "group__round__district",
            "group__round__evaluations__station__street__district",
        ),
        street="group__round__evaluations__station__street",
        agency="group__round__evaluations__station__agency",
        station="group__round__evaluations__station",
        evaluators="group__round__evaluations__assignments__evaluator",
        change_roles=CITY_OFFICER_ONLY,
        create_roles=CITY_OFFICER_ONLY,
        hidden_from=NOT_FOR_WORKERS,
        distinct=True,
    )

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["group__position", "group", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(method="scored", computation="")
                | Q(method="computed") & ~Q(computation=""),
                name="indicator_computation_matches_method",
                violation_error_message=_(
                    "A computed indicator names its computation; a scored one does not."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.name


class SheetStatus(models.TextChoices):
    SCORING = "scoring", _("Being scored")
    SUBMITTED = "submitted", _("Submitted")


class StationEvaluation(TimeStampedModel):
    """One station's sheet in a round: its scores, submitted by its evaluator."""

    round = models.ForeignKey(
        EvaluationRound,
        on_delete=models.CASCADE,
        related_name="evaluations",
        verbose_name=_("round"),
    )
    station = models.ForeignKey(
        "org.Station", on_delete=models.PROTECT, related_name="+", verbose_name=_("station")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=SheetStatus.choices, default=SheetStatus.SCORING
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    director_comment = models.TextField(_("station's comment"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ScopedQuerySet.as_manager()
    scope = station_scope(
        street=True,
        evaluators="assignments__evaluator",
        change_roles=frozenset({Role.EVALUATOR, Role.STATION_DIRECTOR, Role.CITY_OFFICER}),
        # "score": the evaluators score a sheet (the services also ask for an
        # assignment to it), the professional branch of a points tree; the buyer
        # branch is the street office's, the supervisor branch the district
        # officer's; "reply": the station's director answers its result.
        acts={
            "score": frozenset({Role.EVALUATOR}),
            "score_buyer": frozenset({Role.STREET_OFFICE}),
            "score_supervisor": frozenset({Role.DISTRICT_OFFICER}),
            "reply": frozenset({Role.STATION_DIRECTOR}),
            # The verification sample (抽样回访): the evaluators draw it, reveal
            # its phone numbers and record the calls (with an assignment too).
            "sample": frozenset({Role.EVALUATOR}),
        },
        # Superusers administer the rounds but neither score nor reply.
        superuser_acts=frozenset({CHANGE, CREATE}),
        role_conditions=_by_stage("round"),
        hidden_from=NOT_FOR_WORKERS,
        distinct=True,
    )

    class Meta:
        verbose_name = _("station evaluation")
        verbose_name_plural = _("station evaluations")
        ordering = ["round", "station__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "station"],
                name="evaluation_one_sheet_per_station",
                violation_error_message=_("The station already has a sheet in this round."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.station}"


class RoundAssignment(models.Model):
    """第三方评估: an evaluator assigned to a station of a round (through its sheet)."""

    evaluation = models.ForeignKey(
        StationEvaluation,
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("station evaluation"),
    )
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="evaluation_assignments",
        verbose_name=_("evaluator"),
    )

    objects = ScopedQuerySet.as_manager()
    scope = station_scope(
        "evaluation",
        evaluators="evaluator",
        change_roles=CITY_OFFICER_ONLY,
        create_roles=CITY_OFFICER_ONLY,
        hidden_from=NOT_FOR_WORKERS,
    )

    class Meta:
        verbose_name = _("evaluator assignment")
        verbose_name_plural = _("evaluator assignments")
        ordering = ["evaluation", "evaluator__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "evaluator"],
                name="assignment_once_per_sheet",
                violation_error_message=_("The evaluator is already assigned to this station."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.evaluator} → {self.evaluation}"

    @property
    def round(self) -> EvaluationRound:
        return self.evaluation.round

    @property
    def station(self):
        return self.evaluation.station


class IndicatorScore(models.Model):
    """The score of one indicator on one station's sheet; for a computed indicator
    also the figure behind it (`value`, a ratio where 1 = 100 % of target)."""

    evaluation = models.ForeignKey(
        StationEvaluation, on_delete=models.CASCADE, related_name="scores"
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="scores")
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2, null=True, blank=True)
    value = models.DecimalField(
        _("computed value"), max_digits=12, decimal_places=4, null=True, blank=True
    )
    note = models.TextField(_("notes"), blank=True)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    scored_at = models.DateTimeField(null=True, blank=True)
    director_reply = models.TextField(_("station's reply"), blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = station_scope(
        "evaluation",
        street=True,
        evaluators="evaluation__assignments__evaluator",
        change_roles=frozenset({Role.EVALUATOR, Role.STATION_DIRECTOR}),
        role_conditions=_by_stage("evaluation__round"),
        hidden_from=NOT_FOR_WORKERS,
        distinct=True,
    )

    class Meta:
        verbose_name = _("indicator score")
        verbose_name_plural = _("indicator scores")
        ordering = ["evaluation", "indicator__group__position", "indicator__position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "indicator"],
                name="score_once_per_indicator",
                violation_error_message=_("This indicator already has a score."),
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0),
                name="score_not_negative",
                violation_error_message=_("A score cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.score}"


def evidence_path(instance: Evidence, filename: str) -> str:
    # The stored name is ours, never the uploader's: no path tricks, no HTML names.
    return f"evaluation/evidence/{instance.score.evaluation_id}/{instance.stored_name}"


class Evidence(models.Model):
    """A file attached by the evaluator to a score (checked type and size; always
    downloaded as an attachment, never shown inline)."""

    score = models.ForeignKey(IndicatorScore, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=200)
    stored_name = models.CharField(max_length=80, editable=False)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope = station_scope(
        "score__evaluation",
        evaluators="score__evaluation__assignments__evaluator",
        change_roles=frozenset({Role.EVALUATOR}),
        create_roles=frozenset({Role.EVALUATOR}),
        role_conditions=_by_stage("score__evaluation__round"),
        hidden_from=NOT_FOR_WORKERS,
        distinct=True,
    )

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["score", "pk"]

    def __str__(self) -> str:
        return self.original_name


# --- Supervision and inspection (监督检查) ------------------------------------------


class Inspection(TimeStampedModel):
    """A visit of a district or city officer to a station."""

    station = models.ForeignKey(
        "org.Station", on_delete=models.PROTECT, related_name="+", verbose_name=_("station")
    )
    visited_on = models.DateField(_("visit date"))
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("inspector"),
    )
    findings = models.TextField(_("findings"), blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = station_scope(
        change_roles=OFFICERS,
        create_roles=OFFICERS,
        hidden_from=frozenset({Role.SOCIAL_WORKER, Role.EVALUATOR}),
    )

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-visited_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.station} {self.visited_on}"


class CheckItem(models.TextChoices):
    SITE_SAFETY = "site_safety", _("Site safety")
    STAFF_RECORDS = "staff_records", _("Staff records")
    MANAGEMENT_RULES = "management_rules", _("Management rules")
    PHONE_CHECK = "phone_check", _("Resident phone check")


class CheckResult(models.TextChoices):
    PASS = "pass", _("Pass")
    FAIL = "fail", _("Fail")
    NA = "na", _("Not applicable")


class InspectionCheck(models.Model):
    """One checklist item of an inspection."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="checks")
    item = models.CharField(_("item"), max_length=20, choices=CheckItem.choices)
    result = models.CharField(_("result"), max_length=4, choices=CheckResult.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = station_scope(
        "inspection",
        change_roles=OFFICERS,
        create_roles=OFFICERS,
        hidden_from=frozenset({Role.SOCIAL_WORKER, Role.EVALUATOR}),
    )

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["inspection", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "item"],
                name="inspection_item_once",
                violation_error_message=_("This item is already on the checklist."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_item_display()}: {self.get_result_display()}"


class RectificationStatus(models.TextChoices):
    OPEN = "open", _("Open")
    SUBMITTED = "submitted", _("Submitted for acceptance")
    CLOSED = "closed", _("Accepted (closed)")


class Rectification(TimeStampedModel):
    """整改: an item to put right, with its owner and due date."""

    inspection = models.ForeignKey(
        Inspection,
        on_delete=models.CASCADE,
        related_name="rectifications",
        verbose_name=_("inspection"),
    )
    station = models.ForeignKey(
        "org.Station", on_delete=models.PROTECT, related_name="+", verbose_name=_("station")
    )
    description = models.TextField(_("what to put right"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="rectifications",
        verbose_name=_("owner"),
    )
    due_on = models.DateField(_("due date"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RectificationStatus.choices,
        default=RectificationStatus.OPEN,
    )
    response = models.TextField(_("what was done"), blank=True)
    evidence = models.FileField(_("evidence"), upload_to="evaluation/rectification/", blank=True)
    evidence_name = models.CharField(max_length=200, blank=True)
    evidence_type = models.CharField(max_length=100, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ScopedQuerySet.as_manager()
    scope = station_scope(
        # A social worker sees the items they own.
        assigned="owner",
        change_roles=frozenset(
            {Role.SOCIAL_WORKER, Role.STATION_DIRECTOR, Role.DISTRICT_OFFICER, Role.CITY_OFFICER}
        ),
        create_roles=OFFICERS,
        acts={
            # Accept or reject what the station submitted.
            "decide": OFFICERS,
            # Answer the item: its owner (a social worker sees only the items
            # they own) or the station's director; and who may be made its owner.
            "submit": frozenset({Role.SOCIAL_WORKER, Role.STATION_DIRECTOR}),
        },
        # Superusers may decide but do not answer for a station.
        superuser_acts=frozenset({CHANGE, CREATE, "decide"}),
        hidden_from=frozenset({Role.EVALUATOR}),
    )

    class Meta:
        verbose_name = _("rectification")
        verbose_name_plural = _("rectifications")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return self.description[:40]


class RectificationAlert(TimeStampedModel):
    """The one alert an overdue rectification raises, for its owner, the station
    director and the district officer; resolved when the item is accepted."""

    rectification = models.OneToOneField(
        Rectification,
        on_delete=models.CASCADE,
        related_name="alert",
        verbose_name=_("rectification"),
    )
    station = models.ForeignKey(
        "org.Station", on_delete=models.PROTECT, related_name="+", verbose_name=_("station")
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned to"),
    )
    raised_on = models.DateField(_("raised on"))
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = station_scope(
        assigned="assigned_to",
        hidden_from=frozenset({Role.EVALUATOR}),
    )

    class Meta:
        verbose_name = _("overdue rectification alert")
        verbose_name_plural = _("overdue rectification alerts")
        ordering = ["-raised_on", "-pk"]

    def __str__(self) -> str:
        return str(self.rectification)


# The evaluators' sampling and verification (抽样回访) live in their own module.
from shegong.evaluation.sample_models import (  # noqa: E402, F401
    CallOutcome,
    ClientSample,
    SampleEntry,
    SampleMethod,
    Satisfaction,
)
