"""Writes of the meal programme's money: subsidy classes, prices, meal cards,
priced check-ins and the monthly settlements (docs/meals.md)."""

from __future__ import annotations

import datetime
import secrets
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.accounts.models import User
from shegong.clients.models import Resident
from shegong.community import subsidies
from shegong.community.meal_models import (
    APPROVE_DISTRICT,
    APPROVE_STATION,
    APPROVE_STREET,
    CanteenPrice,
    FunderLevel,
    MealCard,
    MealCheckIn,
    MealEligibility,
    MealSettlement,
    MealTime,
    SettlementAdjustment,
    SettlementStatus,
    SubsidyClass,
    SubsidyRule,
)
from shegong.community.models import MealEnrolment, MealKind, MealRecord
from shegong.community.selectors import enrolled_on
from shegong.community.services import meals_refresh, staff_only  # the ignored rollup import
from shegong.core.access import ensure_visible, require, require_at
from shegong.core.scope import CREATE, VIEW
from shegong.org.models import City, District, Station, Street

# Unambiguous letters and digits for a code typed from a card (no 0/O, 1/I/L).
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _month_locked(station: Station, day: datetime.date) -> bool:
    return (
        MealSettlement.objects.filter(station=station, month=month_start(day))
        .exclude(status=SettlementStatus.DRAFT)
        .exists()
    )


@transaction.atomic
def meal_eligibility_set(
    *,
    actor: User,
    enrolment: MealEnrolment,
    subsidy_class: str,
    valid_from: datetime.date,
    evidence: str,
    home_street: Street | None = None,
) -> MealEligibility:
    """The elder's subsidy class from `valid_from`, with the evidence seen. The
    class in force until then ends the day before."""
    ensure_visible(actor, enrolment)
    require_at(actor, CREATE, MealEligibility, enrolment.station, staff_only())
    previous = MealEligibility.objects.select_for_update().filter(
        station_id=enrolment.station_id, resident_id=enrolment.resident_id
    )
    if previous.filter(valid_from__gte=valid_from).exists():
        raise ValidationError(
            {"valid_from": _("A class is already recorded from that day or later.")}
        )
    previous.filter(valid_until__isnull=True).update(
        valid_until=valid_from - datetime.timedelta(days=1)
    )
    eligibility = MealEligibility(
        station_id=enrolment.station_id,
        resident_id=enrolment.resident_id,
        subsidy_class=subsidy_class,
        valid_from=valid_from,
        evidence=evidence.strip(),
        home_street=home_street,
    )
    eligibility.full_clean()
    eligibility.save()
    ensure_visible(actor, eligibility)
    return eligibility


@transaction.atomic
def canteen_price_set(
    *,
    actor: User,
    station: Station,
    meal: str,
    kind: str,
    price_fen: int,
    valid_from: datetime.date,
) -> CanteenPrice:
    require_at(actor, CREATE, CanteenPrice, station, staff_only())
    price = CanteenPrice(
        station=station, meal=meal, kind=kind, price_fen=price_fen, valid_from=valid_from
    )
    price.full_clean()
    price.save()
    ensure_visible(actor, price)
    return price


@transaction.atomic
def meal_card_issue(*, actor: User, enrolment: MealEnrolment) -> MealCard:
    """Issue the elder's meal card, or replace its code (the old card stops working)."""
    ensure_visible(actor, enrolment)
    require_at(actor, CREATE, MealCard, enrolment.station, staff_only())
    code = "".join(secrets.choice(CODE_ALPHABET) for _n in range(CODE_LENGTH))
    card, _created = MealCard.objects.update_or_create(
        enrolment=enrolment, defaults={"station_id": enrolment.station_id, "code": code}
    )
    ensure_visible(actor, card)
    return card


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


@transaction.atomic
def meal_check_in(
    *,
    actor: User,
    station: Station,
    code: str,
    meal: str,
    kind: str = MealKind.DINE_IN,
    served_on: datetime.date | None = None,
) -> MealCheckIn:
    """An elder checks in for a meal at the canteen with their card's code: the
    meal is priced and split by the rules of the day (`subsidies.meal_shares`),
    and the day's roll call marks the elder present. Refused: an unknown code,
    an elder enrolled at another canteen or not enrolled on the day, a canteen
    without a price, a second check-in for the same meal, a settled month."""
    ensure_visible(actor, station)
    require_at(actor, CREATE, MealCheckIn, station, staff_only())
    day = served_on or timezone.localdate()
    if day > timezone.localdate():
        raise ValidationError({"served_on": _("The date cannot be in the future.")})
    if meal not in MealTime.values or kind not in MealKind.values:
        raise ValidationError(_("Unknown meal kind."))
    card = MealCard.objects.select_related("enrolment").filter(code=normalise_code(code)).first()
    if card is None:
        raise ValidationError({"code": _("No meal card has this code.")})
    if card.station_id != station.pk:
        raise ValidationError(
            {"code": _("This elder is enrolled at another canteen: they check in there.")}
        )
    enrolment = card.enrolment
    if not MealEnrolment.objects.filter(enrolled_on(station, day), pk=enrolment.pk).exists():
        raise ValidationError(
            {"code": _("This elder is not enrolled in the meal programme on that day.")}
        )
    if _month_locked(station, day):
        raise ValidationError(
            _("The month's settlement is approved: record a correction as an adjustment.")
        )
    price = subsidies.price_on(station, meal, kind, day)
    if price is None:
        raise ValidationError(_("The canteen has no price for this meal."))
    station = Station.objects.select_related("street__district").get(pk=station.pk)
    eligibility = subsidies.eligibility_on(station, enrolment.resident_id, day)
    subsidy_class = eligibility.subsidy_class if eligibility else SubsidyClass.NONE
    lost = subsidies.lost_levels(station.street, eligibility.home_street if eligibility else None)
    shares = subsidies.meal_shares(
        price_fen=price,
        rules=subsidies.rules_on(station, subsidy_class, meal, day),
        lost=lost,
    )
    if MealCheckIn.objects.filter(
        resident_id=enrolment.resident_id, served_on=day, meal=meal
    ).exists():
        raise ValidationError({"code": _("This elder has already checked in for this meal.")})
    check_in = MealCheckIn(
        station=station,
        resident_id=enrolment.resident_id,
        served_on=day,
        meal=meal,
        kind=kind,
        subsidy_class=subsidy_class,
        price_fen=shares.price_fen,
        elder_fen=shares.elder_fen,
        city_fen=shares.of("city"),
        district_fen=shares.of("district"),
        street_fen=shares.of("street"),
        lost_levels=",".join(shares.lost),
        recorded_by=actor,
    )
    check_in.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            check_in.save()
    except IntegrityError:
        # Two phones scanned the same card at once: the constraint decides.
        raise ValidationError(
            {"code": _("This elder has already checked in for this meal.")}
        ) from None
    if not MealRecord.objects.filter(resident_id=enrolment.resident_id, served_on=day).exists():
        point_id = (
            Resident.objects.filter(pk=enrolment.resident_id, point__station=station)
            .values_list("point_id", flat=True)
            .first()
        )
        MealRecord.objects.create(
            station=station,
            resident_id=enrolment.resident_id,
            point_id=point_id,
            served_on=day,
            kind=kind,
            recorded_by=actor,
        )
        meals_refresh(station_id=station.pk, year=day.year, month=day.month)
    ensure_visible(actor, check_in)
    return check_in


def _settlement_for_update(station: Station, month: datetime.date, funder: str) -> MealSettlement:
    settlement, _created = MealSettlement.objects.get_or_create(
        station=station, month=month_start(month), funder=funder
    )
    return MealSettlement.objects.select_for_update().get(pk=settlement.pk)


_NEXT_STEP = {
    SettlementStatus.DRAFT: (APPROVE_STATION, SettlementStatus.STATION_APPROVED, "station"),
    SettlementStatus.STATION_APPROVED: (APPROVE_STREET, SettlementStatus.STREET_APPROVED, "street"),
    SettlementStatus.STREET_APPROVED: (
        APPROVE_DISTRICT,
        SettlementStatus.DISTRICT_APPROVED,
        "district",
    ),
}


@transaction.atomic
def settlement_approve(
    *, actor: User, station: Station, month: datetime.date, funder: str
) -> MealSettlement:
    """The next approval of a canteen's month for one funder: the station's
    director (which freezes the figures from the check-ins), then the street
    office, then the district. The month must be over before the station approves."""
    ensure_visible(actor, station)
    month = month_start(month)
    existing = MealSettlement.objects.filter(station=station, month=month, funder=funder).first()
    status = existing.status if existing else SettlementStatus.DRAFT
    if status not in _NEXT_STEP:
        raise ValidationError(_("This settlement is fully approved and cannot change."))
    action, next_status, step = _NEXT_STEP[status]
    if existing is None:
        require_at(actor, action, MealSettlement, station, _("Your role cannot approve this step."))
    else:
        require(actor, action, existing, _("Your role cannot approve this step."))
    if status == SettlementStatus.DRAFT and month_start(timezone.localdate()) <= month:
        raise ValidationError(_("A month is settled once it is over."))
    settlement = _settlement_for_update(station, month, funder)
    if settlement.status != status:
        raise ValidationError(
            _("Someone else approved this settlement meanwhile; reload the page.")
        )
    if status == SettlementStatus.DRAFT:
        from shegong.community.meal_selectors import settlement_figures

        figures = settlement_figures(station, month, funder)
        for name in ("meals", "price_fen", "funder_fen", "elder_fen", "exceptions"):
            setattr(settlement, name, figures[name])
    settlement.status = next_status
    setattr(settlement, f"{step}_approved_by", actor)
    setattr(settlement, f"{step}_approved_at", timezone.now())
    settlement.full_clean()
    settlement.save()
    ensure_visible(actor, settlement)
    return settlement


@transaction.atomic
def settlement_adjust(
    *,
    actor: User,
    settlement: MealSettlement,
    made_on: datetime.date,
    amount_fen: int,
    reason: str,
) -> SettlementAdjustment:
    """A dated correction to an approved settlement (a draft is simply recounted)."""
    require(actor, VIEW, settlement)
    require_at(actor, CREATE, SettlementAdjustment, settlement.station, staff_only())
    settlement = MealSettlement.objects.select_for_update().get(pk=settlement.pk)
    if not settlement.is_locked:
        raise ValidationError(
            _("The settlement is not approved yet: its figures follow the check-ins.")
        )
    if amount_fen == 0:
        raise ValidationError({"amount_fen": _("An adjustment needs an amount.")})
    if made_on > timezone.localdate():
        raise ValidationError({"made_on": _("The date cannot be in the future.")})
    adjustment = SettlementAdjustment(
        settlement=settlement,
        made_on=made_on,
        amount_fen=amount_fen,
        reason=reason.strip(),
        recorded_by=actor,
    )
    adjustment.full_clean()
    adjustment.save()
    ensure_visible(actor, adjustment)
    return adjustment


@transaction.atomic
def subsidy_rule_add(
    *,
    actor: User,
    level: str,
    area: City | District | Street,
    subsidy_class: str,
    share: str,
    valid_from: datetime.date,
    meal: str = "",
    rate_percent: Decimal | None = None,
    cap_fen: int | None = None,
    fixed_fen: int | None = None,
    elder_pays_fen: int | None = None,
) -> SubsidyRule:
    """A funder's published rule for one class from a date (officials: a city
    officer for their city's areas, a district officer for their district's)."""
    require_at(actor, CREATE, SubsidyRule, None, _("Only the officials set subsidy rules."))
    city_id = {
        FunderLevel.CITY: lambda: area.pk,
        FunderLevel.DISTRICT: lambda: area.city_id,
        FunderLevel.STREET: lambda: area.district.city_id,
    }[level]()
    district_id = {
        FunderLevel.DISTRICT: area.pk,
        FunderLevel.STREET: getattr(area, "district_id", None),
    }.get(level)
    if not actor.is_superuser and actor.city_id not in (None, city_id):
        raise PermissionDenied(_("Only the officials set subsidy rules."))
    if actor.district_id is not None and (district_id is None or actor.district_id != district_id):
        raise PermissionDenied(_("A district sets the rules of its own district and streets."))
    rule = SubsidyRule(
        level=level,
        subsidy_class=subsidy_class,
        share=share,
        valid_from=valid_from,
        meal=meal,
        rate_percent=rate_percent,
        cap_fen=cap_fen,
        fixed_fen=fixed_fen,
        elder_pays_fen=elder_pays_fen,
        **{level: area},
    )
    rule.full_clean()
    rule.save()
    return rule


def resident_merge_meal_money(*, keep: Resident, duplicate: Resident) -> None:
    """The meal money's part of a resident merge (after `resident_merge_meals`):
    where both records checked in for the same meal, the duplicate's check-in is
    a double claim and is dropped, unless its month is settled (then the merge is
    refused: a settled month is corrected by an adjustment first). Where both have
    an open subsidy class at the same canteen, the duplicate's ends the day before
    keep's began, or today."""
    kept_meals = MealCheckIn.objects.filter(resident=keep)
    doubles = [
        check_in
        for check_in in MealCheckIn.objects.filter(resident=duplicate).select_related("station")
        if kept_meals.filter(served_on=check_in.served_on, meal=check_in.meal).exists()
    ]
    settled = [c for c in doubles if _month_locked(c.station, c.served_on)]
    if settled:
        raise ValidationError(
            _(
                "Both records checked in for the same meal on %(day)s, in a month already "
                "settled: record an adjustment of that settlement before merging."
            )
            % {"day": settled[0].served_on.isoformat()}
        )
    MealCheckIn.objects.filter(pk__in=[c.pk for c in doubles]).delete()
    today = timezone.localdate()
    for eligibility in MealEligibility.objects.filter(resident=duplicate, valid_until__isnull=True):
        kept = MealEligibility.objects.filter(
            resident=keep, station=eligibility.station_id, valid_until__isnull=True
        ).first()
        if kept is not None:
            end = min(today, kept.valid_from - datetime.timedelta(days=1))
            eligibility.valid_until = max(end, eligibility.valid_from)
            eligibility.save(update_fields=["valid_until", "updated_at"])
