"""Reads of tenders and contracts, through the scope: the tenders and contract
terms a user sees, a tender's bids ranked, and a contract's ledger (its
instalments with what each may pay, its spending per budget line and the
personnel share)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import QuerySet, Sum

from shegong.contracts import rules
from shegong.contracts.models import (
    PERSONNEL_MIN_SHARE,
    Bid,
    BudgetLine,
    ContractTerms,
    Instalment,
    Tender,
)

CENT = Decimal("0.01")


def tenders_visible_to(user: Any) -> QuerySet[Tender]:
    return Tender.objects.visible_to(user).select_related(
        "station__street__district", "awarded_bid__agency"
    )


def terms_visible_to(user: Any) -> QuerySet[ContractTerms]:
    return ContractTerms.objects.visible_to(user).select_related(
        "contract__agency", "station__street__district", "tender"
    )


@dataclass
class RankedBid:
    bid: Bid
    price_score: Decimal
    combined: Decimal
    rank: int = 0


def ranked_bids(tender: Tender) -> list[RankedBid]:
    """The bids by combined score: technical × w + price score × (100 − w), over
    100, where the price score is the lowest price over the bid's, × 100;
    rounded to 0.01, ranks 1, 1, 3 on ties."""
    bids = list(tender.bids.select_related("agency"))
    if not bids:
        return []
    lowest = min(b.price for b in bids)
    weight = tender.technical_weight
    ranked = []
    for bid in bids:
        price_score = (lowest * 100 / bid.price).quantize(CENT, ROUND_HALF_UP)
        combined = ((bid.technical_score * weight + price_score * (100 - weight)) / 100).quantize(
            CENT, ROUND_HALF_UP
        )
        ranked.append(RankedBid(bid=bid, price_score=price_score, combined=combined))
    ranked.sort(key=lambda r: (-r.combined, r.bid.price, r.bid.pk))
    previous, rank = None, 0
    for position, row in enumerate(ranked, start=1):
        if row.combined != previous:
            rank, previous = position, row.combined
        row.rank = rank
    return ranked


@dataclass
class InstalmentRow:
    instalment: Instalment
    status: rules.Status


@dataclass
class LineRow:
    line: str
    label: Any
    budget: Decimal
    spent: Decimal

    @property
    def left(self) -> Decimal:
        return self.budget - self.spent


@dataclass
class Ledger:
    terms: ContractTerms
    instalments: list[InstalmentRow] = field(default_factory=list)
    lines: list[LineRow] = field(default_factory=list)
    paid: Decimal = Decimal(0)
    spent: Decimal = Decimal(0)

    @property
    def amount(self) -> Decimal:
        return self.terms.contract.amount

    @property
    def budget_personnel_share(self) -> Decimal:
        return _share(self.terms.budget_personnel, self.amount)

    @property
    def spent_personnel(self) -> Decimal:
        return next(r.spent for r in self.lines if r.line == BudgetLine.PERSONNEL)

    @property
    def spent_personnel_share(self) -> Decimal:
        """Personnel spending as a share of the contract's amount."""
        return _share(self.spent_personnel, self.amount)

    @property
    def personnel_budget_ok(self) -> bool:
        return self.budget_personnel_share >= PERSONNEL_MIN_SHARE

    @property
    def personnel_spent_ok(self) -> bool:
        return self.spent_personnel_share >= PERSONNEL_MIN_SHARE

    @property
    def unpaid(self) -> Decimal:
        return self.amount - self.paid


def _share(part: Decimal, whole: Decimal) -> Decimal:
    return (part * 100 / whole).quantize(CENT, ROUND_HALF_UP) if whole else Decimal(0)


def ledger(terms: ContractTerms) -> Ledger:
    """The ledger of terms the caller has already been allowed to see."""
    result = Ledger(terms=terms)
    for instalment in terms.instalments.select_related("evaluation__round"):
        result.instalments.append(
            InstalmentRow(instalment, rules.instalment_status(instalment, terms))
        )
        result.paid += instalment.paid
    spent = dict(
        terms.spendings.values("line").annotate(total=Sum("amount")).values_list("line", "total")
    )
    budgets = {
        BudgetLine.PERSONNEL: terms.budget_personnel,
        BudgetLine.ACTIVITIES: terms.budget_activities,
        BudgetLine.ADMINISTRATION: terms.budget_administration,
    }
    for line, label in BudgetLine.choices:
        row = LineRow(line, label, budgets[line], spent.get(line) or Decimal(0))
        result.lines.append(row)
        result.spent += row.spent
    return result
