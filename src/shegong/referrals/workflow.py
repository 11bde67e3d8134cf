"""The referral workflow 转介: one service per transition, each in one
transaction, each refusing an illegal move with a clear message.

    sent ─receive→ received ─accept→ accepted ─start→ in service ─complete→ completed
      └──────accept / decline (with a reason)──┘                  (with an outcome)
    any open state ─withdraw→ withdrawn (by the sender)

To a station on the platform, the receiving station's staff receive, answer and
serve (`ReferralTrack.scope`: RECEIVE, ANSWER, SERVE); to an outside
organisation, the sender follows up and records the outcome itself. The sender
acts through the referral on its case file (`cases.Referral.scope`: withdraw,
follow_up). A recorded outcome closes the sending case as referred, if the
worker has not closed it already (`cases.services.case_referral_concluded`).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shegong.accounts.models import User
from shegong.cases import services as case_services
from shegong.cases.models import (
    REFERRAL_FOLLOW_UP,
    REFERRAL_WITHDRAW,
    WORK,
    Case,
    Referral,
)
from shegong.clients.models import Consent
from shegong.clients.services import consent_state
from shegong.core.access import require
from shegong.core.errors import EditConflict
from shegong.referrals import selectors
from shegong.referrals.models import (
    ANSWER,
    OPEN_REFERRAL_STATUSES,
    RECEIVE,
    SERVE,
    Partner,
    ReferralOutcome,
    ReferralStatus,
    ReferralTrack,
    SharedPart,
)

NOT_SENDER = gettext_lazy("Only the case's assigned workers and the station director can do this.")


def _refuse(message: str) -> ValidationError:
    return ValidationError(message, code="invalid_transition")


def _day(on: datetime.date | None, track: ReferralTrack | None = None) -> datetime.date:
    day = on or timezone.localdate()
    if day > timezone.localdate():
        raise ValidationError({"on": _("The date cannot be in the future.")})
    if track is not None and day < track.sent_on:
        raise ValidationError({"on": _("The date cannot be before the referral was sent.")})
    return day


def sharing_consent(case: Case, on: datetime.date) -> Consent:
    """The consent on file that allows sharing with referral partners on `on`,
    or a refusal that says why there is none."""
    consents = [
        c for c in case.client.consents.all() if c.covers_referral_sharing and c.is_in_force(on)
    ]
    if consents:
        return max(consents, key=lambda c: (c.recorded_on, c.pk))
    if consent_state(case.client, on)["statutory_only"]:
        raise ValidationError(
            _("The client has withdrawn consent: nothing can be shared with a referral partner.")
        )
    raise ValidationError(_("The client has not consented to sharing with referral partners."))


def _shared_text(case: Case, reason: str, parts: list[str]) -> str:
    client = case.client
    lines = [
        f"{_('Client')}: {client.name}",
        f"{_('Phone')}: {client.phone or '—'}",
        f"{_('Domain')}: {case.get_domain_display()}",
        f"{_('Reason for referral')}: {reason}",
    ]
    if SharedPart.ASSESSMENT in parts:
        latest = case.assessments.order_by("-assessed_on", "-pk").first()
        if latest is not None:
            lines += [
                f"{_('Assessment')} ({latest.assessed_on:%Y-%m-%d}, "
                f"{_('risk level')}: {latest.get_risk_level_display()})",
                f"{_('Needs')}: {latest.needs}",
            ]
            if latest.strengths:
                lines.append(f"{_('Strengths and resources')}: {latest.strengths}")
    if SharedPart.PLAN in parts:
        plan = case.plans.order_by("-planned_on", "-pk").first()
        if plan is not None:
            lines.append(f"{_('Service plan')} ({plan.planned_on:%Y-%m-%d}): {plan.goals}")
    if SharedPart.REVIEW in parts:
        review = case.reviews.order_by("-reviewed_on", "-pk").first()
        if review is not None:
            lines.append(f"{_('Review')} ({review.reviewed_on:%Y-%m-%d}): {review.progress}")
    return "\n".join(lines)


@transaction.atomic
def referral_send(
    *,
    actor: User,
    case: Case,
    partner: Partner,
    reason: str,
    shared_parts: list[str] | tuple[str, ...] = (),
    follow_up_on: datetime.date | None = None,
    sent_on: datetime.date | None = None,
    version: int | None = None,
) -> ReferralTrack:
    """转介: refer the case to a partner of the directory (a station on the
    platform or an outside organisation), sharing the chosen parts, with the
    client's consent to share on file. The case stays open."""
    require(actor, WORK, case, message=str(NOT_SENDER))
    sent_on = _day(sent_on)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the referral.")})
    unknown = set(shared_parts) - set(SharedPart.values)
    if unknown:
        raise ValidationError({"shared_parts": _("Unknown part of the case to share.")})
    if not selectors.partners_visible_to(actor).filter(pk=partner.pk, active=True).exists():
        raise ValidationError({"partner": _("This organisation is not an active directory entry.")})
    if case.domain not in partner.domain_list:
        raise ValidationError(
            {
                "partner": _("%(partner)s does not accept referrals in the domain %(domain)s.")
                % {"partner": partner.name, "domain": case.get_domain_display()}
            }
        )
    if partner.platform_station_id == case.station_id:
        raise ValidationError({"partner": _("A case cannot be referred to its own station.")})
    if follow_up_on is not None and follow_up_on < sent_on:
        raise ValidationError(
            {"follow_up_on": _("The follow-up date cannot be before the referral.")}
        )
    consent = sharing_consent(case, sent_on)
    on_platform = partner.platform_station is not None
    referral = case_services.case_refer(
        actor=actor,
        case=case,
        referred_on=sent_on,
        reason=reason,
        to_station=partner.platform_station if on_platform else None,
        to_organisation="" if on_platform else partner.name,
        version=version,
    )
    parts = [p for p in SharedPart.values if p in shared_parts]
    track = ReferralTrack(
        referral=referral,
        from_station_id=case.station_id,
        domain=case.domain,
        partner=partner,
        to_station=partner.platform_station,
        consent=consent,
        shared_parts=",".join(parts),
        shared_text=_shared_text(case, reason, parts),
        sent_on=sent_on,
        follow_up_on=follow_up_on,
    )
    track.full_clean()
    track.save()
    return track


def _lock(track: ReferralTrack, version: int | None) -> ReferralTrack:
    locked = (
        ReferralTrack.objects.select_for_update(of=("self",))
        .select_related("referral__case", "partner")
        .get(pk=track.pk)
    )
    if version is not None and locked.version != version:
        raise EditConflict()
    return locked


def _save(track: ReferralTrack) -> ReferralTrack:
    track.version += 1
    track.full_clean()
    track.save()
    return track


def _receiver(actor: User, action: str, track: ReferralTrack, version: int | None):
    require(actor, action, track, message=_("Only the receiving station's staff can do this."))
    return _lock(track, version)


def _sender(actor: User, action: str, track: ReferralTrack, version: int | None):
    referral = Referral.objects.get(pk=track.referral_id)
    require(actor, action, referral, message=str(NOT_SENDER))
    return _lock(track, version)


def _finished(track: ReferralTrack) -> ValidationError:
    if track.status == ReferralStatus.COMPLETED:
        return _refuse(_("This referral is completed: its outcome is already recorded."))
    return _refuse(
        _("This referral is %(status)s: it cannot change any more.")
        % {"status": track.get_status_display()}
    )


@transaction.atomic
def referral_receive(
    *, actor: User, track: ReferralTrack, on: datetime.date | None = None, version=None
) -> ReferralTrack:
    """已接收: the receiving station has seen the referral."""
    track = _receiver(actor, RECEIVE, track, version)
    if track.status != ReferralStatus.SENT:
        raise _refuse(_("Only a referral just sent can be marked received."))
    track.received_on = _day(on, track)
    track.status = ReferralStatus.RECEIVED
    return _save(track)


@transaction.atomic
def referral_accept(
    *, actor: User, track: ReferralTrack, on: datetime.date | None = None, version=None
) -> ReferralTrack:
    """接收转介: the receiving station takes the client on."""
    track = _receiver(actor, ANSWER, track, version)
    if track.status not in (ReferralStatus.SENT, ReferralStatus.RECEIVED):
        raise _refuse(_("This referral has already been answered."))
    day = _day(on, track)
    track.received_on = track.received_on or day
    track.answered_on = day
    track.status = ReferralStatus.ACCEPTED
    return _save(track)


@transaction.atomic
def referral_decline(
    *, actor: User, track: ReferralTrack, reason: str, on: datetime.date | None = None, version=None
) -> ReferralTrack:
    """拒绝转介, with the reason: the sending case stays open for the worker."""
    track = _receiver(actor, ANSWER, track, version)
    if track.status not in (ReferralStatus.SENT, ReferralStatus.RECEIVED):
        raise _refuse(_("This referral has already been answered."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for declining the referral.")})
    day = _day(on, track)
    track.received_on = track.received_on or day
    track.answered_on = day
    track.decline_reason = reason
    track.status = ReferralStatus.DECLINED
    return _save(track)


@transaction.atomic
def referral_start(
    *, actor: User, track: ReferralTrack, on: datetime.date | None = None, version=None
) -> ReferralTrack:
    """开始服务: the receiving station's service to the client has begun."""
    track = _receiver(actor, SERVE, track, version)
    if track.status != ReferralStatus.ACCEPTED:
        raise _refuse(_("Only an accepted referral can start its service."))
    track.started_on = _day(on, track)
    track.status = ReferralStatus.IN_SERVICE
    return _save(track)


def _conclude(
    actor: User, track: ReferralTrack, outcome: str, note: str, on: datetime.date | None
) -> ReferralTrack:
    if track.status == ReferralStatus.COMPLETED or not track.is_open:
        raise _finished(track)
    if outcome not in ReferralOutcome.values:
        raise ValidationError({"outcome": _("Choose the outcome of the referral.")})
    day = _day(on, track)
    track.completed_on = day
    track.outcome = outcome
    track.outcome_note = (note or "").strip()
    track.status = ReferralStatus.COMPLETED
    _save(track)
    case_services.case_referral_concluded(
        actor=actor, case=track.referral.case, on=day, outcome=outcome
    )
    return track


@transaction.atomic
def referral_complete(
    *,
    actor: User,
    track: ReferralTrack,
    outcome: str,
    note: str = "",
    on: datetime.date | None = None,
    version=None,
) -> ReferralTrack:
    """服务完成: the receiving station records the outcome."""
    track = _receiver(actor, SERVE, track, version)
    if track.status == ReferralStatus.ACCEPTED:
        track.started_on = track.started_on or _day(on, track)
    elif track.status != ReferralStatus.IN_SERVICE:
        raise (
            _finished(track)
            if not track.is_open
            else _refuse(_("Only an accepted referral can be completed."))
        )
    return _conclude(actor, track, outcome, note, on)


@transaction.atomic
def referral_record_outcome(
    *,
    actor: User,
    track: ReferralTrack,
    outcome: str,
    note: str = "",
    on: datetime.date | None = None,
    version=None,
) -> ReferralTrack:
    """The sender records the outcome of a referral to an outside organisation
    (one on the platform records its own)."""
    track = _sender(actor, REFERRAL_FOLLOW_UP, track, version)
    if track.on_platform and track.is_open:
        raise _refuse(_("The receiving station records the outcome of this referral."))
    return _conclude(actor, track, outcome, note, on)


@transaction.atomic
def referral_follow_up(
    *,
    actor: User,
    track: ReferralTrack,
    follow_up_on: datetime.date | None,
    version=None,
) -> ReferralTrack:
    """跟进: the sender sets (or clears) the next follow-up date."""
    track = _sender(actor, REFERRAL_FOLLOW_UP, track, version)
    if not track.is_open:
        raise _finished(track)
    if follow_up_on is not None and follow_up_on < track.sent_on:
        raise ValidationError(
            {"follow_up_on": _("The follow-up date cannot be before the referral.")}
        )
    track.follow_up_on = follow_up_on
    return _save(track)


@transaction.atomic
def referral_withdraw(
    *, actor: User, track: ReferralTrack, on: datetime.date | None = None, version=None
) -> ReferralTrack:
    """撤回: the sender withdraws a referral still under way."""
    track = _sender(actor, REFERRAL_WITHDRAW, track, version)
    if track.status not in OPEN_REFERRAL_STATUSES:
        raise _finished(track)
    track.withdrawn_on = _day(on, track)
    track.status = ReferralStatus.WITHDRAWN
    return _save(track)
