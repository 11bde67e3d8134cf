"""Tenders 招标 and the money of a purchase-of-service contract (docs/contracts.md).

A tender is announced for one station's services, agencies' bids are recorded
with their price and technical score, and the buyer awards one bid with its
reason; the award makes the `org.Contract` and its terms: the budget lines
(personnel, activities, administration; personnel at least 65 % since 2018) and
the instalments, each tied to a milestone (signing, the mid-term result, the
final result). A failed result holds or reduces its instalment; the final result
leads to the renewal decision. Spending is recorded per budget line.

Money is `Decimal` yuan with two places (fen), never a float.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from shegong.core.models import TimeStampedModel
from shegong.core.roles import Role
from shegong.core.scope import ScopedQuerySet, station_scope

# Who tenders, awards, pays and decides: the buyer (the street office) and the
# district and city civil-affairs officers above it.
BUYERS = frozenset({Role.STREET_OFFICE, Role.DISTRICT_OFFICER, Role.CITY_OFFICER})
# Who reports the contract's spending: the agency that runs the station.
SPENDERS = frozenset({Role.AGENCY_MANAGER, Role.STATION_DIRECTOR})
# Contract terms are for directors and above, not for front-line workers.
NOT_FOR_STAFF = frozenset({Role.SOCIAL_WORKER, Role.EVALUATOR})

AWARD = "award"
PAY = "pay"
RECORD_RESULT = "record_result"
DECIDE = "decide"
SPEND = "spend"
# 验收: the buyer accepts a milestone's deliverables (the mid-term and final
# reports and outputs). Only the street office that buys the station's services
# does: not the officials above it, who may pay and decide.
ACCEPT = "accept"
ACCEPTORS = frozenset({Role.STREET_OFFICE})

MONEY = {"max_digits": 14, "decimal_places": 2}
PERCENT = {
    "max_digits": 5,
    "decimal_places": 2,
    "validators": [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
}
# Since 2018, personnel costs are at least 65 % of a station's contract.
PERSONNEL_MIN_SHARE = Decimal(65)


def _scope(via: str, **acts):
    return station_scope(
        via,
        street=True,
        change_roles=BUYERS,
        create_roles=BUYERS,
        hidden_from=NOT_FOR_STAFF,
        acts=acts,
    )


class TenderStatus(models.TextChoices):
    ANNOUNCED = "announced", _("Announced")
    AWARDED = "awarded", _("Awarded")


class Tender(TimeStampedModel):
    """招标: the announcement of one station's services for a term."""

    code = models.CharField(_("tender number"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=150)
    station = models.ForeignKey(
        "org.Station", on_delete=models.PROTECT, related_name="+", verbose_name=_("station")
    )
    buyer = models.CharField(_("buyer"), max_length=100)
    announced_on = models.DateField(_("announced on"))
    bids_close_on = models.DateField(_("bids close on"))
    starts_on = models.DateField(_("service starts on"))
    ends_on = models.DateField(_("service ends on"))
    ceiling = models.DecimalField(_("ceiling price (yuan)"), **MONEY)
    # The share of the technical score in the combined score; the price score
    # (the lowest price over the bid's, × 100) weighs the rest.
    technical_weight = models.DecimalField(
        _("technical weight (%)"), default=Decimal(70), **PERCENT
    )
    status = models.CharField(
        _("status"), max_length=10, choices=TenderStatus.choices, default=TenderStatus.ANNOUNCED
    )
    awarded_bid = models.OneToOneField(
        "contracts.Bid",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("awarded bid"),
    )
    award_reason = models.TextField(_("reason for the award"), blank=True)
    awarded_on = models.DateField(_("awarded on"), null=True, blank=True)
    awarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()
    scope = _scope("", **{AWARD: BUYERS})

    class Meta:
        verbose_name = _("tender")
        verbose_name_plural = _("tenders")
        ordering = ["-announced_on", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(bids_close_on__gte=F("announced_on")),
                name="tender_closes_after_announcement",
                violation_error_message=_("Bids cannot close before the announcement."),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")),
                name="tender_term_ends_after_start",
                violation_error_message=_("The service term must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(ceiling__gt=0),
                name="tender_ceiling_positive",
                violation_error_message=_("The ceiling price must be more than 0."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Bid(TimeStampedModel):
    """投标: an agency's bid, with its price and the panel's technical score."""

    tender = models.ForeignKey(
        Tender, on_delete=models.CASCADE, related_name="bids", verbose_name=_("tender")
    )
    agency = models.ForeignKey(
        "org.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    price = models.DecimalField(_("price (yuan)"), **MONEY)
    technical_score = models.DecimalField(_("technical score (0–100)"), **PERCENT)
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = _scope("tender")

    class Meta:
        verbose_name = _("bid")
        verbose_name_plural = _("bids")
        ordering = ["tender", "price", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["tender", "agency"],
                name="bid_one_per_agency",
                violation_error_message=_("This agency has already bid in this tender."),
            ),
            models.CheckConstraint(
                condition=Q(price__gt=0),
                name="bid_price_positive",
                violation_error_message=_("The price must be more than 0."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tender.code} · {self.agency}"


class FailRule(models.TextChoices):
    """What a failed result does to its instalment."""

    HOLD = "hold", _("Held until a passing result")
    REDUCE = "reduce", _("Reduced by a percentage")


class ContractTerms(TimeStampedModel):
    """The money side of an `org.Contract` for a station: budget lines and the rule
    for failed results. Made by the award of a tender, or recorded for a
    contract signed before the platform."""

    contract = models.OneToOneField(
        "org.Contract", on_delete=models.PROTECT, related_name="terms", verbose_name=_("contract")
    )
    # Denormalised from the contract for the scope (contracts of special projects
    # have no station and no terms here).
    station = models.ForeignKey(
        "org.Station", on_delete=models.PROTECT, related_name="+", verbose_name=_("station")
    )
    tender = models.OneToOneField(
        Tender,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="terms",
        verbose_name=_("tender"),
    )
    signed_on = models.DateField(_("signed on"))
    budget_personnel = models.DecimalField(_("personnel budget (yuan)"), **MONEY)
    budget_activities = models.DecimalField(_("activities budget (yuan)"), **MONEY)
    budget_administration = models.DecimalField(_("administration budget (yuan)"), **MONEY)
    fail_rule = models.CharField(
        _("when a result fails"), max_length=8, choices=FailRule.choices, default=FailRule.HOLD
    )
    reduce_percent = models.DecimalField(
        _("reduction when a result fails (%)"), default=Decimal(0), **PERCENT
    )

    objects = ScopedQuerySet.as_manager()
    scope = _scope(
        "",
        **{
            PAY: BUYERS,
            RECORD_RESULT: BUYERS,
            DECIDE: BUYERS,
            SPEND: SPENDERS,
            ACCEPT: ACCEPTORS,
        },
    )

    class Meta:
        verbose_name = _("contract terms")
        verbose_name_plural = _("contract terms")
        ordering = ["-signed_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(budget_personnel__gte=0)
                & Q(budget_activities__gte=0)
                & Q(budget_administration__gte=0),
                name="terms_budget_not_negative",
                violation_error_message=_("A budget line cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.contract)

    @property
    def budget_total(self) -> Decimal:
        return self.budget_personnel + self.budget_activities + self.budget_administration


class Milestone(models.TextChoices):
    SIGNING = "signing", _("On signing")
    MID_TERM = "mid_term", _("After the mid-term result")
    FINAL = "final", _("After the final result")


class Grade(models.TextChoices):
    """The evaluation grades (evaluation.scoring.GRADE_THRESHOLDS)."""

    EXCELLENT = "excellent", _("Excellent")
    GOOD = "good", _("Good")
    PASS = "pass", _("Pass")
    FAIL = "fail", _("Fail")


class Instalment(models.Model):
    """分期付款: one instalment of a contract, a share of its amount due at a milestone."""

    terms = models.ForeignKey(ContractTerms, on_delete=models.CASCADE, related_name="instalments")
    sequence = models.PositiveSmallIntegerField(_("instalment number"))
    milestone = models.CharField(_("milestone"), max_length=10, choices=Milestone.choices)
    share = models.DecimalField(_("share (%)"), **PERCENT)
    planned = models.DecimalField(_("planned amount (yuan)"), **MONEY)
    # The result the milestone waits for (mid-term and final): its grade, and
    # the evaluation sheet it was read from, or a note naming a paper report.
    grade = models.CharField(_("result"), max_length=10, choices=Grade.choices, blank=True)
    evaluation = models.ForeignKey(
        "evaluation.StationEvaluation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("evaluation sheet"),
    )
    result_note = models.CharField(_("source of the result"), max_length=200, blank=True)
    result_recorded_on = models.DateField(_("result recorded on"), null=True, blank=True)
    paid = models.DecimalField(_("paid (yuan)"), default=Decimal(0), **MONEY)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    # 验收: the buyer's acceptance of the milestone's deliverables, which a
    # mid-term or final instalment needs before it is paid.
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    acceptance_comment = models.TextField(_("acceptance comment"), blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = _scope("terms")

    class Meta:
        verbose_name = _("instalment")
        verbose_name_plural = _("instalments")
        ordering = ["terms", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["terms", "sequence"],
                name="instalment_unique_number",
                violation_error_message=_("The contract already has this instalment."),
            ),
            models.CheckConstraint(
                condition=Q(paid__gte=0) & Q(paid__lte=F("planned")),
                name="instalment_paid_within_planned",
                violation_error_message=_("An instalment cannot pay more than planned."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.terms} #{self.sequence}"


class BudgetLine(models.TextChoices):
    PERSONNEL = "personnel", _("Personnel")
    ACTIVITIES = "activities", _("Activity costs")
    ADMINISTRATION = "administration", _("Administration")


class Spending(TimeStampedModel):
    """A spending of the contract's money on one budget line, as the agency reports it."""

    terms = models.ForeignKey(ContractTerms, on_delete=models.CASCADE, related_name="spendings")
    line = models.CharField(_("budget line"), max_length=16, choices=BudgetLine.choices)
    spent_on = models.DateField(_("date"))
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()
    scope = _scope("terms")

    class Meta:
        verbose_name = _("spending")
        verbose_name_plural = _("spendings")
        ordering = ["terms", "-spent_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="spending_amount_positive",
                violation_error_message=_("The amount must be more than 0."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.terms} {self.get_line_display()} {self.amount}"


class Renewal(models.TextChoices):
    RENEW = "renew", _("Renew the contract")
    RETENDER = "retender", _("Tender again")
    END = "end", _("End the service")


class RenewalDecision(TimeStampedModel):
    """续签决定: what follows the contract, decided on its final result."""

    terms = models.OneToOneField(ContractTerms, on_delete=models.CASCADE, related_name="renewal")
    decision = models.CharField(_("decision"), max_length=10, choices=Renewal.choices)
    final_grade = models.CharField(_("final result"), max_length=10, choices=Grade.choices)
    reason = models.TextField(_("reason"))
    decided_on = models.DateField(_("decided on"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The contract that followed a renewal, once signed.
    next_contract = models.ForeignKey(
        "org.Contract",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("next contract"),
    )

    objects = ScopedQuerySet.as_manager()
    scope = _scope("terms")

    class Meta:
        verbose_name = _("renewal decision")
        verbose_name_plural = _("renewal decisions")

    def __str__(self) -> str:
        return f"{self.terms} {self.get_decision_display()}"
