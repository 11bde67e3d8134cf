"""Programmes around the station. For now the elderly meal programme
(长者饭堂 / 大配餐): who is enrolled and who ate on which day. Absences feed the
early-warning rule in `cases.alerts`."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shegong.clients.models import STATION_STAFF, STATION_STAFF_ONLY
from shegong.core.models import TimeStampedModel
from shegong.core.scope import STAFF_WORK, Scope, ScopedQuerySet, station_scope

MEAL_SCOPE = Scope(
    station="station",
    change_roles=STATION_STAFF,
    create_roles=STATION_STAFF,
    hidden_from=STATION_STAFF_ONLY,
    superuser_acts=STAFF_WORK,
)


class MealEnrolment(TimeStampedModel):
    """An elder enrolled in the station's meal programme."""

    station = models.ForeignKey(
        "org.Station", on_delete=models.PROTECT, related_name="+", verbose_name=_("station")
    )
    resident = models.ForeignKey(
        "clients.Resident",
        on_delete=models.CASCADE,
        related_name="meal_enrolments",
        verbose_name=_("elder"),
    )
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = MEAL_SCOPE

    class Meta:
        verbose_name = _("meal programme enrolment")
        verbose_name_plural = _("meal programme enrolments")
        ordering = ["resident__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["station", "resident"],
                condition=Q(ended_on__isnull=True),
                name="meal_enrolment_one_open",
                violation_error_message=_("The elder is already enrolled."),
            )
        ]

    def __str__(self) -> str:
        return str(self.resident)


class MealKind(models.TextChoices):
    DINE_IN = "dine_in", _("Dine-in")
    DELIVERY = "delivery", _("Delivery")


class MealRecord(TimeStampedModel):
    """One elder's meal on one day (堂食 or 送餐)."""

    station = models.ForeignKey(
        "org.Station", on_delete=models.PROTECT, related_name="+", verbose_name=_("station")
    )
    resident = models.ForeignKey(
        "clients.Resident",
        on_delete=models.CASCADE,
        related_name="meal_records",
        verbose_name=_("elder"),
    )
    # The elder's service point 社工点 at the roll call (if it is one of the
    # station's), so that meals can be read per point like services.
    point = models.ForeignKey(
        "org.ServicePoint",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("service point"),
    )
    served_on = models.DateField(_("date"))
    kind = models.CharField(
        _("meal"), max_length=10, choices=MealKind.choices, default=MealKind.DINE_IN
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    objects = ScopedQuerySet.as_manager()
    scope = MEAL_SCOPE

    class Meta:
        verbose_name = _("meal record")
        verbose_name_plural = _("meal records")
        ordering = ["-served_on", "resident__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["resident", "served_on"],
                name="meal_record_once_a_day",
                violation_error_message=_("This elder's meal is already recorded for that day."),
            )
        ]
        indexes = [models.Index(fields=["station", "served_on"])]

    def __str__(self) -> str:
        return f"{self.resident} {self.served_on}"


STATION_PROGRAMME_SCOPE = station_scope(
    change_roles=STATION_STAFF, create_roles=STATION_STAFF, superuser_acts=STAFF_WORK
)


class PartyOrganisation(TimeStampedModel):
    """党组织 (党总支 / 党支部) in the station's street that works with the station."""

    class Kind(models.TextChoices):
        GENERAL_BRANCH = "general_branch", _("General party branch")
        BRANCH = "branch", _("Party branch")
        COMMITTEE = "committee", _("Party working committee")

    station = models.ForeignKey(
        "org.Station", on_delete=models.PROTECT, related_name="+", verbose_name=_("station")
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)

    objects = ScopedQuerySet.as_manager()
    scope = STATION_PROGRAMME_SCOPE

    class Meta:
        verbose_name = _("party organisation")
        verbose_name_plural = _("party organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["station", "name"],
                name="party_org_unique_name",
                violation_error_message=_("This party organisation is already registered."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class PartyMember(TimeStampedModel):
    """A party member (党员) or party representative (党代表) taking part in services:
    the "党代表+党员+社工+义工+居民" linkage of the core project."""

    station = models.ForeignKey(
        "org.Station", on_delete=models.PROTECT, related_name="+", verbose_name=_("station")
    )
    organisation = models.ForeignKey(
        PartyOrganisation,
        on_delete=models.PROTECT,
        related_name="members",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=50)
    is_representative = models.BooleanField(_("party representative"), default=False)

    objects = ScopedQuerySet.as_manager()
    scope = STATION_PROGRAMME_SCOPE

    class Meta:
        verbose_name = _("party member")
        verbose_name_plural = _("party members")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Volunteer(TimeStampedModel):
    """义工, registered with consent; party members are flagged."""

    station = models.ForeignKey(
        "org.Station",
        on_delete=models.PROTECT,
        related_name="volunteers",
        verbose_name=_("station"),
    )
    name = models.CharField(_("name"), max_length=50)
    phone = models.CharField(_("mobile phone"), max_length=11, blank=True)
    skills = models.CharField(_("skills"), max_length=200, blank=True)
    is_party_member = models.BooleanField(_("party member"), default=False)
    party_member = models.OneToOneField(
        PartyMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="volunteer"
    )
    registered_on = models.DateField(_("registered on"))
    consent_on = models.DateField(_("consent given on"))
    is_active = models.BooleanField(_("active"), default=True)

    objects = ScopedQuerySet.as_manager()
    scope = STATION_PROGRAMME_SCOPE

    class Meta:
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class VolunteerTeam(TimeStampedModel):
    """A team of volunteers (e.g. the meal-programme volunteer team 大配餐义工队)."""

    station = models.ForeignKey(
        "org.Station", on_delete=models.PROTECT, related_name="+", verbose_name=_("station")
    )
    name = models.CharField(_("name"), max_length=100)
    members = models.ManyToManyField(
        Volunteer, blank=True, related_name="teams", verbose_name=_("members")
    )

    objects = ScopedQuerySet.as_manager()
    scope = STATION_PROGRAMME_SCOPE

    class Meta:
        verbose_name = _("volunteer team")
        verbose_name_plural = _("volunteer teams")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["station", "name"],
                name="volunteer_team_unique_name",
                violation_error_message=_("The station already has a team of that name."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class CommunityOrganisation(TimeStampedModel):
    """社区组织 incubated by the station (e.g. a neighbourly mutual-aid group)."""

    class Status(models.TextChoices):
        INCUBATING = "incubating", _("Incubating")
        ESTABLISHED = "established", _("Established")
        REGISTERED = "registered", _("Registered")
        DISSOLVED = "dissolved", _("Dissolved")

    station = models.ForeignKey(
        "org.Station", on_delete=models.PROTECT, related_name="+", verbose_name=_("station")
    )
    name = models.CharField(_("name"), max_length=100)
    field = models.CharField(_("field of work"), max_length=100, blank=True)
    founded_on = models.DateField(_("founded on"))
    member_count = models.PositiveIntegerField(_("members"), default=0)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.INCUBATING
    )

    objects = ScopedQuerySet.as_manager()
    scope = STATION_PROGRAMME_SCOPE

    class Meta:
        verbose_name = _("community organisation")
        verbose_name_plural = _("community organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class GovernanceProject(TimeStampedModel):
    """社区专案: a community governance project, e.g. retro-fitting lifts in old
    buildings (旧楼加装电梯), with stages and an outcome."""

    class Stage(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        DELIBERATION = "deliberation", _("Resident deliberation")
        IMPLEMENTATION = "implementation", _("Implementation")
        COMPLETED = "completed", _("Completed")
        SUSPENDED = "suspended", _("Suspended")

    station = models.ForeignKey(
        "org.Station", on_delete=models.PROTECT, related_name="+", verbose_name=_("station")
    )
    title = models.CharField(_("title"), max_length=150)
    category = models.CharField(_("category"), max_length=50, blank=True)
    stage = models.CharField(
        _("stage"), max_length=16, choices=Stage.choices, default=Stage.PROPOSED
    )
    started_on = models.DateField(_("started on"))
    outcome = models.TextField(_("outcome"), blank=True)
    outcome_count = models.PositiveIntegerField(
        _("units delivered"), default=0, help_text=_("e.g. lifts installed")
    )

    objects = ScopedQuerySet.as_manager()
    scope = STATION_PROGRAMME_SCOPE

    class Meta:
        verbose_name = _("governance project")
        verbose_name_plural = _("governance projects")
        ordering = ["-started_on"]

    def __str__(self) -> str:
        return self.title


class DeliberationMeeting(TimeStampedModel):
    """居民议事: a residents' deliberation meeting of a governance project."""

    project = models.ForeignKey(
        GovernanceProject,
        on_delete=models.CASCADE,
        related_name="meetings",
        verbose_name=_("project"),
    )
    held_on = models.DateField(_("date"))
    attendees = models.PositiveIntegerField(_("attendees"))
    party_members_present = models.PositiveIntegerField(_("party members present"), default=0)
    decisions = models.TextField(_("decisions"))

    objects = ScopedQuerySet.as_manager()
    scope = station_scope(
        "project",
        change_roles=STATION_STAFF,
        create_roles=STATION_STAFF,
        superuser_acts=STAFF_WORK,
    )

    class Meta:
        verbose_name = _("deliberation meeting")
        verbose_name_plural = _("deliberation meetings")
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"{self.project} {self.held_on}"


class SignupStatus(models.TextChoices):
    SIGNED_UP = "signed_up", _("Signed up")
    CANCELLED = "cancelled", _("Cancelled")
    SERVED = "served", _("Served")


class VolunteerSignup(TimeStampedModel):
    """报名: a volunteer signs up to help at an upcoming activity of the plan. When
    the activity is recorded with the volunteer's hours, the sign-up is marked
    served and linked to the service event."""

    station = models.ForeignKey(
        "org.Station", on_delete=models.PROTECT, related_name="+", verbose_name=_("station")
    )
    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.CASCADE, related_name="signups", verbose_name=_("volunteer")
    )
    project = models.ForeignKey(
        "plans.PlanProject", on_delete=models.PROTECT, related_name="+", verbose_name=_("project")
    )
    activity_on = models.DateField(_("activity date"))
    activity_title = models.CharField(_("activity"), max_length=150)
    status = models.CharField(
        _("status"), max_length=10, choices=SignupStatus.choices, default=SignupStatus.SIGNED_UP
    )
    event = models.ForeignKey(
        "delivery.ServiceEvent",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("service event"),
    )

    objects = ScopedQuerySet.as_manager()
    scope = STATION_PROGRAMME_SCOPE

    class Meta:
        verbose_name = _("volunteer sign-up")
        verbose_name_plural = _("volunteer sign-ups")
        ordering = ["activity_on", "activity_title"]
        constraints = [
            models.UniqueConstraint(
                fields=["volunteer", "activity_on", "activity_title"],
                condition=~Q(status="cancelled"),
                name="volunteer_signup_once",
                violation_error_message=_("The volunteer has already signed up for this."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} {self.activity_on} {self.activity_title}"


# The meal programme's money: its own module, registered with the app here.
from shegong.community.meal_models import (  # noqa: E402, F401
    CanteenPrice,
    MealCard,
    MealCheckIn,
    MealEligibility,
    MealSettlement,
    SettlementAdjustment,
    SubsidyRule,
)
