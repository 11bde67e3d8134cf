"""Writes of tenders and contracts: announce, record a bid, award (which signs
the contract and schedules its instalments), record a milestone's result, pay an
instalment, record spending, decide the renewal. Every write asks the scope first
(`core.access.require` / `require_at`) and re-checks the saved row."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shegong.accounts.models import User
from shegong.contracts import rules
from shegong.contracts.models import (
    ACCEPT,
    AWARD,
    DECIDE,
    PAY,
    PERSONNEL_MIN_SHARE,
    RECORD_RESULT,
    SPEND,
    Bid,
    ContractTerms,
    FailRule,
    Grade,
    Instalment,
    Milestone,
    Renewal,
    RenewalDecision,
    Spending,
    Tender,
    TenderStatus,
)
from shegong.core.access import ensure_visible, require, require_at
from shegong.core.scope import CHANGE, CREATE, VIEW, can
from shegong.evaluation.models import RoundStatus, StationEvaluation
from shegong.org.models import Contract, Station

FEN = Decimal("0.01")
# The usual Guangzhou schedule: 30 % on signing, 40 % after a mid-term result of
# at least 合格, 30 % after the final result.
DEFAULT_SCHEDULE: tuple[tuple[str, Decimal], ...] = (
    (Milestone.SIGNING, Decimal(30)),
    (Milestone.MID_TERM, Decimal(40)),
    (Milestone.FINAL, Decimal(30)),
)


def _money(value) -> Decimal:
    if isinstance(value, float):
        raise TypeError("money is a Decimal, never a float")
    return Decimal(value).quantize(FEN, ROUND_HALF_UP)


def _save(actor: User, obj) -> None:
    obj.full_clean()
    obj.save()
    ensure_visible(actor, obj)


@transaction.atomic
def tender_announce(
    *,
    actor: User,
    station: Station,
    code: str,
    title: str,
    buyer: str,
    announced_on: datetime.date,
    bids_close_on: datetime.date,
    starts_on: datetime.date,
    ends_on: datetime.date,
    ceiling: Decimal,
    technical_weight: Decimal = Decimal(70),
) -> Tender:
    require_at(actor, CREATE, Tender, station, _("Only the buyer and officials announce tenders."))
    tender = Tender(
        station=station,
        code=code.strip(),
        title=title.strip(),
        buyer=buyer.strip(),
        announced_on=announced_on,
        bids_close_on=bids_close_on,
        starts_on=starts_on,
        ends_on=ends_on,
        ceiling=_money(ceiling),
        technical_weight=technical_weight,
        created_by=actor,
    )
    _save(actor, tender)
    return tender


@transaction.atomic
def bid_record(
    *,
    actor: User,
    tender: Tender,
    agency,
    price: Decimal,
    technical_score: Decimal,
    note: str = "",
) -> Bid:
    require(actor, CHANGE, tender)
    tender = Tender.objects.select_for_update().get(pk=tender.pk)
    if tender.status != TenderStatus.ANNOUNCED:
        raise ValidationError(_("The tender is awarded: no more bids."))
    price = _money(price)
    if price > tender.ceiling:
        raise ValidationError(
            {
                "price": _("The price is above the tender's ceiling of %(ceiling)s yuan.")
                % {"ceiling": tender.ceiling}
            }
        )
    bid = Bid(tender=tender, agency=agency, price=price, technical_score=technical_score, note=note)
    _save(actor, bid)
    return bid


def _check_no_overlap(station: Station, starts_on: datetime.date, ends_on: datetime.date) -> None:
    clash = (
        Contract.objects.filter(station=station, starts_on__lte=ends_on, ends_on__gte=starts_on)
        .order_by("starts_on")
        .first()
    )
    if clash is not None:
        raise ValidationError(
            _(
                "The station already has contract %(code)s from %(start)s to %(end)s: "
                "contracts of one station cannot overlap."
            )
            % {"code": clash.code, "start": clash.starts_on, "end": clash.ends_on}
        )


def _terms_create(
    *,
    actor: User,
    contract: Contract,
    tender: Tender | None,
    signed_on: datetime.date,
    budget_personnel: Decimal,
    budget_activities: Decimal,
    budget_administration: Decimal,
    schedule: Sequence[tuple[str, Decimal]],
    fail_rule: str,
    reduce_percent: Decimal,
) -> ContractTerms:
    terms = ContractTerms(
        contract=contract,
        station=contract.station,
        tender=tender,
        signed_on=signed_on,
        budget_personnel=_money(budget_personnel),
        budget_activities=_money(budget_activities),
        budget_administration=_money(budget_administration),
        fail_rule=fail_rule,
        reduce_percent=Decimal(reduce_percent or 0),
    )
    if terms.budget_total != contract.amount:
        raise ValidationError(
            _(
                "The budget lines add up to %(total)s yuan, not the contract's "
                "amount of %(amount)s yuan."
            )
            % {"total": terms.budget_total, "amount": contract.amount}
        )
    if contract.amount and terms.budget_personnel * 100 < PERSONNEL_MIN_SHARE * contract.amount:
        raise ValidationError(
            {
                "budget_personnel": _(
                    "Personnel must be at least %(share)s %% of the contract's amount."
                )
                % {"share": PERSONNEL_MIN_SHARE}
            }
        )
    if fail_rule == FailRule.REDUCE and not terms.reduce_percent:
        raise ValidationError({"reduce_percent": _("Give the reduction for a failed result.")})
    if not signed_on <= contract.ends_on:
        raise ValidationError({"signed_on": _("The contract is signed before it ends.")})
    shares = [Decimal(share) for _milestone, share in schedule]
    if any(share <= 0 for share in shares) or sum(shares) != 100:
        raise ValidationError(_("The instalments' shares must be more than 0 and add up to 100 %."))
    milestones = [milestone for milestone, _share in schedule]
    if len(set(milestones)) != len(milestones):
        raise ValidationError(_("Each milestone has at most one instalment."))
    order = list(Milestone.values)
    if milestones != sorted(milestones, key=order.index):
        raise ValidationError(_("The instalments follow the milestones in order."))
    _save(actor, terms)
    planned = rules.split(contract.amount, shares)
    for sequence, (milestone, share) in enumerate(schedule, start=1):
        _save(
            actor,
            Instalment(
                terms=terms,
                sequence=sequence,
                milestone=milestone,
                share=share,
                planned=planned[sequence - 1],
            ),
        )
    return terms


@transaction.atomic
def tender_award(
    *,
    actor: User,
    tender: Tender,
    bid: Bid,
    reason: str,
    awarded_on: datetime.date,
    contract_code: str,
    signed_on: datetime.date,
    budget_personnel: Decimal,
    budget_activities: Decimal,
    budget_administration: Decimal,
    schedule: Sequence[tuple[str, Decimal]] = DEFAULT_SCHEDULE,
    fail_rule: str = FailRule.HOLD,
    reduce_percent: Decimal = Decimal(0),
) -> ContractTerms:
    """Award `bid`: the tender is closed, the contract signed at the bid's price
    and its instalments scheduled."""
    require(actor, AWARD, tender)
    tender = Tender.objects.select_for_update().get(pk=tender.pk)
    if tender.status != TenderStatus.ANNOUNCED:
        raise ValidationError(_("The tender is already awarded."))
    if bid.tender_id != tender.pk:
        raise ValidationError({"bid": _("The bid is not one of this tender's.")})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for the award.")})
    if awarded_on < tender.bids_close_on:
        raise ValidationError({"awarded_on": _("A tender is awarded after its bids close.")})
    if signed_on < awarded_on:
        raise ValidationError({"signed_on": _("The contract is signed after the award.")})
    _check_no_overlap(tender.station, tender.starts_on, tender.ends_on)
    contract = Contract(
        code=contract_code.strip(),
        buyer=tender.buyer,
        agency=bid.agency,
        station=tender.station,
        starts_on=tender.starts_on,
        ends_on=tender.ends_on,
        amount=bid.price,
    )
    contract.full_clean()
    contract.save()
    tender.status = TenderStatus.AWARDED
    tender.awarded_bid = bid
    tender.award_reason = reason.strip()
    tender.awarded_on = awarded_on
    tender.awarded_by = actor
    _save(actor, tender)
    return _terms_create(
        actor=actor,
        contract=contract,
        tender=tender,
        signed_on=signed_on,
        budget_personnel=budget_personnel,
        budget_activities=budget_activities,
        budget_administration=budget_administration,
        schedule=schedule,
        fail_rule=fail_rule,
        reduce_percent=reduce_percent,
    )


@transaction.atomic
def contract_terms_record(
    *,
    actor: User,
    contract: Contract,
    signed_on: datetime.date,
    budget_personnel: Decimal,
    budget_activities: Decimal,
    budget_administration: Decimal,
    schedule: Sequence[tuple[str, Decimal]] = DEFAULT_SCHEDULE,
    fail_rule: str = FailRule.HOLD,
    reduce_percent: Decimal = Decimal(0),
) -> ContractTerms:
    """Record the terms of a contract signed without a tender on the platform
    (before it went live)."""
    require(actor, VIEW, contract)
    require_at(actor, CREATE, ContractTerms, contract.station, _("Your role cannot do this."))
    if contract.station_id is None:
        raise ValidationError(_("Terms are recorded for a station's contract."))
    if ContractTerms.objects.filter(contract=contract).exists():
        raise ValidationError(_("The contract's terms are already recorded."))
    return _terms_create(
        actor=actor,
        contract=contract,
        tender=None,
        signed_on=signed_on,
        budget_personnel=budget_personnel,
        budget_activities=budget_activities,
        budget_administration=budget_administration,
        schedule=schedule,
        fail_rule=fail_rule,
        reduce_percent=reduce_percent,
    )


def _sheet_grade(actor: User, instalment: Instalment, sheet: StationEvaluation) -> str:
    from shegong.evaluation import selectors as evaluation_selectors

    if not can(actor, VIEW, sheet):
        raise ValidationError({"evaluation": _("No such evaluation sheet.")})
    if sheet.station_id != instalment.terms.station_id:
        raise ValidationError({"evaluation": _("The sheet is of another station.")})
    if sheet.round.status != RoundStatus.FINALISED:
        raise ValidationError({"evaluation": _("The round is not finalised yet.")})
    if sheet.round.kind != instalment.milestone:
        raise ValidationError(
            {
                "evaluation": _("The sheet is of a %(kind)s, not this milestone's.")
                % {"kind": sheet.round.get_kind_display()}
            }
        )
    for result in evaluation_selectors.round_results(actor, sheet.round):
        if result.evaluation.pk == sheet.pk:
            return result.grade
    raise ValidationError({"evaluation": _("No such evaluation sheet.")})


@transaction.atomic
def instalment_result_record(
    *,
    actor: User,
    instalment: Instalment,
    recorded_on: datetime.date,
    evaluation: StationEvaluation | None = None,
    grade: str = "",
    note: str = "",
) -> Instalment:
    """Record the result a milestone waits for: read from a finalised evaluation
    sheet of the station, or entered with the report it comes from (a paper
    evaluation from before the platform). A result can be recorded again (a
    re-evaluation after rectification) until the instalment is paid."""
    require(actor, RECORD_RESULT, instalment.terms)
    instalment = Instalment.objects.select_for_update().get(pk=instalment.pk)
    if instalment.milestone == Milestone.SIGNING:
        raise ValidationError(_("The signing instalment waits for no result."))
    if instalment.paid:
        raise ValidationError(_("The instalment is paid: its result stays as it was."))
    if evaluation is not None:
        grade = _sheet_grade(actor, instalment, evaluation)
    elif grade not in Grade.values:
        raise ValidationError({"grade": _("Choose the result or an evaluation sheet.")})
    elif not (note or "").strip():
        raise ValidationError({"note": _("Name the report the result comes from.")})
    instalment.grade = grade
    instalment.evaluation = evaluation
    instalment.result_note = (note or "").strip()
    instalment.result_recorded_on = recorded_on
    _save(actor, instalment)
    return instalment


@transaction.atomic
def instalment_pay(
    *, actor: User, instalment: Instalment, amount: Decimal, paid_on: datetime.date
) -> Instalment:
    """Pay (part of) an instalment: never before its milestone, never more than
    it may pay by the rule (held or reduced when its result failed), never
    beyond the contract's amount."""
    terms = instalment.terms
    require(actor, PAY, terms)
    terms = ContractTerms.objects.select_for_update().get(pk=terms.pk)
    instalment = Instalment.objects.select_for_update().get(pk=instalment.pk)
    amount = _money(amount)
    if amount <= 0:
        raise ValidationError({"amount": _("The amount must be more than 0.")})
    if paid_on < terms.signed_on:
        raise ValidationError({"paid_on": _("Nothing is paid before the contract is signed.")})
    status = rules.instalment_status(instalment, terms)
    if status.code == rules.WAITING:
        raise ValidationError(_("The milestone of this instalment is not reached yet."))
    if status.code == rules.HELD:
        raise ValidationError(_("The instalment is held: its result failed."))
    if rules.needs_acceptance(instalment) and instalment.accepted_on is None:
        raise ValidationError(
            _("The buyer has not accepted this milestone's deliverables yet (验收).")
        )
    paid_so_far = sum(i.paid for i in terms.instalments.all())
    if paid_so_far + amount > terms.contract.amount:
        raise ValidationError(
            {
                "amount": _("This would pay %(total)s yuan, beyond the contract's %(amount)s.")
                % {"total": paid_so_far + amount, "amount": terms.contract.amount}
            }
        )
    if instalment.paid + amount > status.payable:
        raise ValidationError(
            {
                "amount": _("The instalment may pay %(left)s yuan more, not %(amount)s.")
                % {"left": status.payable - instalment.paid, "amount": amount}
            }
        )
    instalment.paid += amount
    instalment.paid_on = paid_on
    _save(actor, instalment)
    return instalment


@transaction.atomic
def instalment_accept(
    *, actor: User, instalment: Instalment, accepted_on: datetime.date, comment: str
) -> Instalment:
    """验收: the buyer (the street office of the station's street) accepts the
    deliverables of a mid-term or final milestone, with a comment; the
    instalment may be paid only once they are accepted. Accepted once."""
    require(
        actor, ACCEPT, instalment.terms, _("Only the buyer of the contract accepts deliverables.")
    )
    instalment = (
        Instalment.objects.select_for_update().select_related("terms").get(pk=instalment.pk)
    )
    if not rules.needs_acceptance(instalment):
        raise ValidationError(
            {"instalment": _("The signing instalment has no deliverables to accept.")}
        )
    if instalment.accepted_on is not None:
        raise ValidationError(
            {"instalment": _("The deliverables of this milestone are already accepted.")}
        )
    if not (comment or "").strip():
        raise ValidationError({"comment": _("Write the comment of the acceptance.")})
    if accepted_on < instalment.terms.signed_on:
        raise ValidationError(
            {"accepted_on": _("Nothing is accepted before the contract is signed.")}
        )
    instalment.accepted_on = accepted_on
    instalment.accepted_by = actor
    instalment.acceptance_comment = comment.strip()
    _save(actor, instalment)
    return instalment


@transaction.atomic
def spending_record(
    *,
    actor: User,
    terms: ContractTerms,
    line: str,
    spent_on: datetime.date,
    amount: Decimal,
    note: str = "",
) -> Spending:
    require(actor, SPEND, terms)
    contract = terms.contract
    if not contract.starts_on <= spent_on <= contract.ends_on:
        raise ValidationError({"spent_on": _("The date is outside the contract's term.")})
    spending = Spending(
        terms=terms,
        line=line,
        spent_on=spent_on,
        amount=_money(amount),
        note=note.strip(),
        recorded_by=actor,
    )
    _save(actor, spending)
    return spending


@transaction.atomic
def renewal_decide(
    *,
    actor: User,
    terms: ContractTerms,
    decision: str,
    reason: str,
    decided_on: datetime.date,
) -> RenewalDecision:
    """Decide what follows the contract, on its final result: a failed final
    result cannot renew (the service is tendered again or ended)."""
    require(actor, DECIDE, terms)
    final = terms.instalments.filter(milestone=Milestone.FINAL).first()
    if final is None or not final.grade:
        raise ValidationError(_("The renewal is decided on the final result: record it first."))
    if RenewalDecision.objects.filter(terms=terms).exists():
        raise ValidationError(_("The renewal is already decided."))
    if decision == Renewal.RENEW and final.grade == Grade.FAIL:
        raise ValidationError(
            {"decision": _("The final result failed: the contract cannot be renewed.")}
        )
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for the decision.")})
    renewal = RenewalDecision(
        terms=terms,
        decision=decision,
        final_grade=final.grade,
        reason=reason.strip(),
        decided_on=decided_on,
        decided_by=actor,
    )
    _save(actor, renewal)
    return renewal


@transaction.atomic
def renewal_link_next(
    *, actor: User, renewal: RenewalDecision, contract: Contract
) -> RenewalDecision:
    """Name the contract signed after a renewal (the same station, starting later)."""
    require(actor, DECIDE, renewal.terms)
    if renewal.decision != Renewal.RENEW:
        raise ValidationError(_("Only a renewal is followed by a contract."))
    if contract.station_id != renewal.terms.station_id:
        raise ValidationError(_("The next contract is of another station."))
    if contract.starts_on <= renewal.terms.contract.ends_on:
        raise ValidationError(_("The next contract starts after this one ends."))
    renewal.next_contract = contract
    _save(actor, renewal)
    return renewal
