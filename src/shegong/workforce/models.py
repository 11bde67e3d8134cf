"""The station workforce 人才队伍: staff profiles with the national social-work
qualification (助理社会工作师 / 社会工作师 / 高级社会工作师), post and employment
dates; training records 培训 and supervision records 督导. A station's staffing
summary 人员配置 (for contracts and evaluation) is read in `selectors`."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shegong.core.models import TimeStampedModel
from shegong.core.roles import Role
from shegong.core.scope import ScopedQuerySet, station_scope

# The station director edits the station's profiles; the agency manager those of
# the stations the agency runs. Officials read; a social worker reads only their own.
WORKFORCE_EDITORS = frozenset({Role.STATION_DIRECTOR, Role.AGENCY_MANAGER})
# The scope action of holding a profile: the accounts a profile may describe, a
# station's own staff (social workers and directors). A worker holds their own.
HOLD = "hold"


def _workforce_scope(via: str = "", **options):
    prefix = f"{via}__" if via else ""
    return station_scope(
        via,
        change_roles=WORKFORCE_EDITORS,
        create_roles=WORKFORCE_EDITORS,
        # Evaluators read the station's staffing summary, not named staff records.
        hidden_from=frozenset({Role.EVALUATOR}),
        assigned=f"{prefix}user",
        **options,
    )


class Qualification(models.TextChoices):
    """The national vocational qualification in social work 社会工作者职业水平."""

    NONE = "none", _("No qualification")
    ASSISTANT = "assistant", _("Assistant social worker (qualification)")
    SOCIAL_WORKER = "social_worker", _("Social worker (qualification)")
    SENIOR = "senior", _("Senior social worker (qualification)")


QUALIFIED = (Qualification.ASSISTANT, Qualification.SOCIAL_WORKER, Qualification.SENIOR)


class Post(models.TextChoices):
    """岗位 at the station."""

    DIRECTOR = "director", _("Station director")
    SUPERVISOR = "supervisor", _("Clinical supervisor")
    FRONTLINE = "frontline", _("Front-line social worker")
    ADMINISTRATION = "administration", _("Administrative staff")


class StaffProfile(TimeStampedModel):
    """A station staff member's workforce record, one per account."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="staff_profile",
        verbose_name=_("staff member"),
    )
    # Copied from the account's anchor when the profile is made, so that scope
    # and the staffing summary group by station without reading the account.
    station = models.ForeignKey(
        "org.Station", on_delete=models.PROTECT, related_name="+", verbose_name=_("station")
    )
    post = models.CharField(_("post"), max_length=16, choices=Post.choices)
    qualification = models.CharField(
        _("qualification"), max_length=16, choices=Qualification.choices
    )
    certificate_number = models.CharField(_("certificate number"), max_length=40, blank=True)
    certified_on = models.DateField(_("certified on"), null=True, blank=True)
    employed_since = models.DateField(_("employed since"))
    # 薪级: the staff member's grade in the pay table (workforce.pay_models.PayRate).
    pay_grade = models.PositiveSmallIntegerField(
        _("pay grade"), default=1, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    left_on = models.DateField(_("left on"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ScopedQuerySet.as_manager()
    scope = _workforce_scope(acts={HOLD: frozenset({Role.SOCIAL_WORKER, Role.STATION_DIRECTOR})})

    class Meta:
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")
        ordering = ["station", "post", "user__username"]
        constraints = [
            models.CheckConstraint(
                condition=Q(qualification="none", certificate_number="", certified_on=None)
                | (
                    ~Q(qualification="none")
                    & ~Q(certificate_number="")
                    & Q(certified_on__isnull=False)
                ),
                name="staff_profile_certificate_iff_qualified",
                violation_error_message=_(
                    "A qualification needs its certificate number and date; "
                    "no qualification has none."
                ),
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("employed_since")),
                name="staff_profile_leaves_after_start",
                violation_error_message=_("The leaving date cannot be before the start date."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def is_qualified(self) -> bool:
        return self.qualification in QUALIFIED


class TrainingRecord(TimeStampedModel):
    """培训: a course a staff member attended, with its hours and evidence."""

    profile = models.ForeignKey(
        StaffProfile,
        on_delete=models.CASCADE,
        related_name="trainings",
        verbose_name=_("staff member"),
    )
    course = models.CharField(_("course"), max_length=150)
    provider = models.CharField(_("provider"), max_length=100)
    held_on = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    evidence = models.CharField(
        _("evidence"),
        max_length=200,
        blank=True,
        help_text=_("e.g. certificate of completion, sign-in sheet"),
    )

    objects = ScopedQuerySet.as_manager()
    scope = _workforce_scope("profile")

    class Meta:
        verbose_name = _("training record")
        verbose_name_plural = _("training records")
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0),
                name="training_hours_positive",
                violation_error_message=_("Hours must be more than 0."),
            )
        ]
        indexes = [models.Index(fields=["profile", "held_on"])]

    def __str__(self) -> str:
        return f"{self.course} {self.held_on}"


class SupervisionKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual supervision")
    GROUP = "group", _("Group supervision")


class SupervisionRecord(TimeStampedModel):
    """督导: a supervision session a staff member received."""

    profile = models.ForeignKey(
        StaffProfile,
        on_delete=models.CASCADE,
        related_name="supervisions",
        verbose_name=_("staff member"),
    )
    # Often an external supervisor (外聘督导), so a name rather than an account.
    supervisor = models.CharField(_("supervisor"), max_length=50)
    held_on = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    kind = models.CharField(_("kind"), max_length=12, choices=SupervisionKind.choices)
    note = models.TextField(_("note"), blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = _workforce_scope("profile")

    class Meta:
        verbose_name = _("supervision record")
        verbose_name_plural = _("supervision records")
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0),
                name="supervision_hours_positive",
                violation_error_message=_("Hours must be more than 0."),
            )
        ]
        indexes = [models.Index(fields=["profile", "held_on"])]

    def __str__(self) -> str:
        return f"{self.supervisor} {self.held_on}"


from shegong.workforce.pay_models import PayRate  # noqa: E402, F401
