"""Writes of the directory of services: register an entry, change it (including
deactivating it). The page, the API and the demo call these."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from shegong.accounts.models import User
from shegong.clients import pinyin
from shegong.core.access import require, require_at
from shegong.core.scope import CHANGE, CREATE
from shegong.org.models import City, District, Station
from shegong.referrals.models import Partner, domains_value, normalise_phone

EDITABLE_FIELDS = frozenset(
    {
        "name",
        "kind",
        "platform_station",
        "domains",
        "services",
        "eligibility",
        "served_district",
        "served_street",
        "contact_person",
        "phone",
        "address",
        "active",
    }
)
_TEXT_FIELDS = ("name", "services", "eligibility", "contact_person", "address")


def keeper_of(user: User) -> models.Model | None:
    """Where an entry registered by `user` is kept: their station, district or city
    (the anchor of their account); None for an account without one."""
    return user.station or user.district or user.city


def _place(partner: Partner, keeper: models.Model) -> None:
    if isinstance(keeper, Station):
        partner.station = keeper
        partner.district = keeper.street.district
        partner.city = partner.district.city
    elif isinstance(keeper, District):
        partner.district = keeper
        partner.city = keeper.city
    elif isinstance(keeper, City):
        partner.city = keeper
    else:
        raise ValidationError(_("A directory entry is kept by a station, a district or a city."))


def _apply(partner: Partner, changes: dict[str, Any]) -> None:
    for key, value in changes.items():
        if key == "domains":
            value = domains_value(value)
        elif key == "phone":
            value = normalise_phone(value)
        elif key in _TEXT_FIELDS:
            value = (value or "").strip()
        setattr(partner, key, value)
    pinyin.fill(partner)


@transaction.atomic
def partner_create(*, actor: User, keeper: models.Model | None = None, **fields: Any) -> Partner:
    """A new directory entry kept at `keeper` (default: the actor's anchor)."""
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise ValidationError(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))
    keeper = keeper if keeper is not None else keeper_of(actor)
    require_at(actor, CREATE, Partner, keeper if isinstance(keeper, Station) else None)
    partner = Partner()
    _place(partner, keeper)
    _apply(partner, fields)
    partner.full_clean()
    partner.save()
    # Active entries are readable by everyone, so "still visible" proves nothing:
    # the actor must be able to keep what they registered (their own scope).
    require(actor, CHANGE, partner, _("The result would be outside your scope."))
    return partner


@transaction.atomic
def partner_update(*, actor: User, partner: Partner, **changes: Any) -> Partner:
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise ValidationError(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))
    require(actor, CHANGE, partner)
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    _apply(partner, changes)
    partner.full_clean()
    partner.save()
    require(actor, CHANGE, partner)
    return partner
