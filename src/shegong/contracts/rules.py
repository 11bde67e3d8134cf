"""The payment rules of a contract, as plain arithmetic on saved rows
(docs/contracts.md "Payment rules").

- An instalment's planned amount is its share of the contract's amount, in fen,
  rounded half up; the last instalment takes the remainder, so the planned
  amounts add up to the amount exactly.
- The signing instalment is payable once the contract is signed. A mid-term or
  final instalment waits for its result; a result of at least 合格 (pass) makes
  it payable in full; a failed result holds it (nothing payable until a passing
  result is recorded) or, under the reduce rule, reduces it by the terms'
  percentage.
- A mid-term or final instalment is paid only once the buyer has accepted the
  milestone's deliverables (验收); the signing instalment has none.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from shegong.contracts.models import ContractTerms, FailRule, Grade, Instalment, Milestone

FEN = Decimal("0.01")

WAITING = "waiting"  # the milestone is not reached
PAYABLE = "payable"
REDUCED = "reduced"
HELD = "held"
PAID = "paid"


def split(amount: Decimal, shares: Sequence[Decimal]) -> list[Decimal]:
    """The planned amounts of `shares` (percentages adding up to 100) of `amount`."""
    planned = [(amount * share / 100).quantize(FEN, ROUND_HALF_UP) for share in shares[:-1]]
    return [*planned, amount - sum(planned, Decimal(0))]


def needs_acceptance(instalment: Instalment) -> bool:
    """Whether the instalment waits for the buyer's acceptance 验收 before it is paid."""
    return instalment.milestone != Milestone.SIGNING


@dataclass(frozen=True)
class Status:
    code: str
    payable: Decimal  # what the instalment may pay in all, by the rule

    @property
    def label(self):
        return STATUS_LABELS[self.code]


def instalment_status(instalment: Instalment, terms: ContractTerms) -> Status:
    planned = instalment.planned
    if instalment.milestone == Milestone.SIGNING:
        payable = planned
        code = PAYABLE
    elif not instalment.grade:
        return Status(WAITING, Decimal(0))
    elif instalment.grade != Grade.FAIL:
        payable = planned
        code = PAYABLE
    elif terms.fail_rule == FailRule.REDUCE:
        payable = (planned * (100 - terms.reduce_percent) / 100).quantize(FEN, ROUND_HALF_UP)
        code = REDUCED
    else:
        return Status(HELD, Decimal(0))
    if instalment.paid >= payable:
        code = PAID
    return Status(code, payable)


STATUS_LABELS = {
    WAITING: _("Waiting for the milestone"),
    PAYABLE: _("Payable"),
    REDUCED: _("Reduced: the result failed"),
    HELD: _("Held: the result failed"),
    PAID: _("Paid"),
}
