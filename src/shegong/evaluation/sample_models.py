"""Sampling and verification by the evaluators (抽样回访): a stratified random
sample of a station's clients drawn for one sheet of a round, and its call sheet.

The seed and the drawn list are stored, so the sample can be drawn again and
compared (`evaluation.sampling.sample_draw`). Each entry keeps a masked name and
its stratum; the phone number stays in the resident's record and is revealed on
demand, each reveal written to the access log. The outcomes feed the computed
indicators `sample_awareness` and `sample_satisfaction` (evaluation.computed).

Imported at the end of evaluation.models (one app, one models module to Django).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shegong.clients.models import BASIC_DOMAIN_CHOICES, ClientCategory
from shegong.core.models import TimeStampedModel
from shegong.core.roles import Role
from shegong.core.scope import ScopedQuerySet, station_scope

# Who was called and what they said is the evaluators' and the officers' record:
# the station side (and the street office that buys its services) sees only the
# indicator's figure on the sheet, never who was asked.
NOT_FOR_THE_STATION = frozenset(
    {Role.SOCIAL_WORKER, Role.STATION_DIRECTOR, Role.AGENCY_MANAGER, Role.STREET_OFFICE}
)
SAMPLERS = frozenset({Role.EVALUATOR})
# A resident knowing at least this many of the five awareness items is aware.
AWARE_AT = 3
AWARENESS_ITEMS = ("knows_address", "knows_services", "knows_staff", "knows_help", "knows_funder")


def _open_rounds(path: str) -> dict[str, Q]:
    # An evaluator works on a sample while the round is open for scoring.
    return {Role.EVALUATOR: Q(**{f"{path}__status": "open"})}


class SampleMethod(models.TextChoices):
    CALL = "call", _("Phone call")
    VISIT = "visit", _("Visit")


class CallOutcome(models.TextChoices):
    REACHED = "reached", _("Reached")
    REFUSED = "refused", _("Refused")
    WRONG_NUMBER = "wrong_number", _("Wrong number")
    NO_ANSWER = "no_answer", _("No answer")


class Satisfaction(models.IntegerChoices):
    VERY_SATISFIED = 5, _("Very satisfied")
    SATISFIED = 4, _("Satisfied")
    NEUTRAL = 3, _("Neutral")
    DISSATISFIED = 2, _("Dissatisfied")
    VERY_DISSATISFIED = 1, _("Very dissatisfied")


class ClientSample(TimeStampedModel):
    """抽样: the sample of one station's clients for one sheet, with its seed."""

    evaluation = models.OneToOneField(
        "evaluation.StationEvaluation",
        on_delete=models.CASCADE,
        related_name="sample",
        verbose_name=_("station evaluation"),
    )
    seed = models.PositiveBigIntegerField(_("random seed"))
    calls = models.PositiveSmallIntegerField(_("phone calls"))
    visits = models.PositiveSmallIntegerField(_("visits"))
    # The day the clients were counted on (the round's last day, or today if earlier).
    as_of = models.DateField(_("clients as of"))
    population = models.PositiveIntegerField(_("clients in the population"))
    # [{"domain", "category", "population", "calls", "visits"}, ...] in stratum order.
    strata = models.JSONField(_("strata"), default=list)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()
    scope = station_scope(
        "evaluation",
        evaluators="evaluation__assignments__evaluator",
        role_conditions=_open_rounds("evaluation__round"),
        # Drawn by the evaluators (evaluation.sampling also asks for an assignment).
        create_roles=SAMPLERS,
        # The sample is the evaluators' own check: a superuser reads it, never draws.
        superuser_acts=frozenset(),
        hidden_from=NOT_FOR_THE_STATION,
        distinct=True,
    )

    class Meta:
        verbose_name = _("client sample")
        verbose_name_plural = _("client samples")
        ordering = ["evaluation", "pk"]

    def __str__(self) -> str:
        return f"{self.evaluation} · {self.seed}"


class SampleEntry(models.Model):
    """One drawn client: a phone call or a visit, its outcome and answers."""

    sample = models.ForeignKey(
        ClientSample, on_delete=models.CASCADE, related_name="entries", verbose_name=_("sample")
    )
    # Kept nullable: erasing a resident on request leaves the entry's figures.
    resident = models.ForeignKey(
        "clients.Resident",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resident"),
    )
    position = models.PositiveSmallIntegerField(_("number"))
    method = models.CharField(_("method"), max_length=5, choices=SampleMethod.choices)
    domain = models.CharField(_("domain"), max_length=10, choices=BASIC_DOMAIN_CHOICES)
    category = models.CharField(_("category"), max_length=10, choices=ClientCategory.choices)
    label = models.CharField(_("client"), max_length=50)
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=CallOutcome.choices, blank=True, default=""
    )
    knows_address = models.BooleanField(_("knows where the station is"), default=False)
    knows_services = models.BooleanField(_("knows what it offers"), default=False)
    knows_staff = models.BooleanField(_("knows its staff"), default=False)
    knows_help = models.BooleanField(_("knows how to get help"), default=False)
    knows_funder = models.BooleanField(_("knows who funds it"), default=False)
    satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction"),
        choices=Satisfaction.choices,
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    note = models.CharField(_("notes"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = station_scope(
        "sample__evaluation",
        evaluators="sample__evaluation__assignments__evaluator",
        role_conditions=_open_rounds("sample__evaluation__round"),
        # Revealing the number and recording the call: the evaluators'.
        acts={"sample": SAMPLERS},
        superuser_acts=frozenset(),
        hidden_from=NOT_FOR_THE_STATION,
        distinct=True,
    )

    class Meta:
        verbose_name = _("sampled client")
        verbose_name_plural = _("sampled clients")
        ordering = ["sample", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["sample", "position"],
                name="sample_entry_unique_position",
                violation_error_message=_("The sample already has an entry of that number."),
            ),
            models.CheckConstraint(
                condition=Q(outcome="reached") | Q(satisfaction__isnull=True),
                name="sample_entry_answers_when_reached",
                violation_error_message=_(
                    "Answers are recorded only for a resident who was reached."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.label}"

    @property
    def known_items(self) -> int:
        return sum(1 for item in AWARENESS_ITEMS if getattr(self, item))

    @property
    def is_aware(self) -> bool:
        return self.outcome == CallOutcome.REACHED and self.known_items >= AWARE_AT
