"""The 113X annual programme of a station (年度服务计划): 1 core project (党建引领),
1 key project (the street's most urgent need), 3 basic projects (family, elderly,
youth) and any number of featured projects, each with annual targets."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shegong.core.models import Domain, TimeStampedModel
from shegong.core.roles import Role
from shegong.core.scope import STAFF_WORK, ScopedQuerySet, station_scope

# The officials' scope action on a submitted plan: approve or return it.
DECIDE = "decide"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for changes")
    APPROVED = "approved", _("Approved")


class AnnualPlan(TimeStampedModel):
    """One station's programme for one year."""

    station = models.ForeignKey(
        "org.Station", on_delete=models.PROTECT, related_name="plans", verbose_name=_("station")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(
        _("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    key_need_reason = models.TextField(
        _("why this key project"),
        blank=True,
        help_text=_("The needs-survey finding that makes this the most urgent need."),
    )
    # The needs survey (居民服务需求调查) whose ranking backs the key project.
    needs_survey = models.ForeignKey(
        "surveys.Survey",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("needs survey"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.TextField(_("comment"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ScopedQuerySet.as_manager()
    # The director drafts (change, create); the district and city officers
    # decide (approve or return) and do nothing else; superusers only read.
    scope = station_scope(
        street=True,
        change_roles=frozenset({Role.STATION_DIRECTOR}),
        create_roles=frozenset({Role.STATION_DIRECTOR}),
        acts={DECIDE: frozenset({Role.DISTRICT_OFFICER, Role.CITY_OFFICER})},
        superuser_acts=STAFF_WORK,
    )

    class Meta:
        verbose_name = _("annual plan")
        verbose_name_plural = _("annual plans")
        ordering = ["-year", "station__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["station", "year"],
                name="plan_one_per_station_year",
                violation_error_message=_("The station already has a plan for that year."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100),
                name="plan_year_plausible",
                violation_error_message=_("The year is not plausible."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.station} {self.year}"


class ProjectKind(models.TextChoices):
    CORE = "core", _("Core project (party-building leadership)")
    KEY = "key", _("Key project (most urgent need)")
    BASIC = "basic", _("Basic project")
    FEATURED = "featured", _("Featured project")


class PlanProject(TimeStampedModel):
    """One project of the 113X plan; every service event belongs to one."""

    plan = models.ForeignKey(
        AnnualPlan, on_delete=models.CASCADE, related_name="projects", verbose_name=_("plan")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ProjectKind.choices)
    # Where the project's person-times are counted (docs/domain.md "Person-times": one domain each).
    domain = models.CharField(_("statistical domain"), max_length=10, choices=Domain.choices)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = station_scope(
        "plan",
        street=True,
        change_roles=frozenset({Role.STATION_DIRECTOR}),
        create_roles=frozenset({Role.STATION_DIRECTOR}),
        superuser_acts=STAFF_WORK,
    )

    class Meta:
        verbose_name = _("plan project")
        verbose_name_plural = _("plan projects")
        ordering = ["plan", "kind", "domain", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "name"],
                name="project_unique_name_in_plan",
                violation_error_message=_("The plan already has a project of that name."),
            ),
            # A basic project is one of the three basic domains.
            models.CheckConstraint(
                condition=~Q(kind="basic") | Q(domain__in=["family", "elderly", "youth"]),
                name="project_basic_in_basic_domain",
                violation_error_message=_("A basic project is for family, elderly or youth."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Metric(models.TextChoices):
    PERSON_TIMES = "person_times", _("Person-times")
    CASES = "cases", _("Cases")
    GROUPS = "groups", _("Groups")
    GROUP_SESSIONS = "group_sessions", _("Group sessions")
    ACTIVITIES = "activities", _("Community activities")
    VOLUNTEERS = "volunteers", _("Volunteers")
    VOLUNTEER_HOURS = "volunteer_hours", _("Volunteer hours")


class ProjectTarget(TimeStampedModel):
    """An annual target of a project (e.g. 3,000 person-times)."""

    project = models.ForeignKey(
        PlanProject, on_delete=models.CASCADE, related_name="targets", verbose_name=_("project")
    )
    metric = models.CharField(_("indicator"), max_length=20, choices=Metric.choices)
    value = models.PositiveIntegerField(_("annual target"))

    objects = ScopedQuerySet.as_manager()
    scope = station_scope(
        "project__plan",
        street=True,
        change_roles=frozenset({Role.STATION_DIRECTOR}),
        create_roles=frozenset({Role.STATION_DIRECTOR}),
        superuser_acts=STAFF_WORK,
    )

    class Meta:
        verbose_name = _("project target")
        verbose_name_plural = _("project targets")
        ordering = ["project", "metric"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "metric"],
                name="target_one_per_metric",
                violation_error_message=_("The project already has a target for this indicator."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.project}: {self.get_metric_display()} {self.value}"
