"""What personal data can be taken out in a file (privacy.personal_exports): for
each kind, the records a user may take (always through `.visible_to(user)`, so an
export holds nothing its requester could not read on the pages), the filters it
accepts, and the columns of its file."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.clients.models import Resident, ResidentTag, Tag
from shegong.community import subsidies
from shegong.community.meal_models import FunderLevel, MealCheckIn, SubsidyClass
from shegong.org.models import Community
from shegong.privacy.models import ExportKind
from shegong.rosters.models import RosterCategory, RosterEntry
from shegong.surveys.models import Response, Survey


@dataclass(frozen=True)
class Kind:
    """One kind of personal-data file."""

    title: Callable[[dict], str]
    # The records `user` may take with these (cleaned) filters, in file order.
    records: Callable[[Any, dict], models.QuerySet]
    headers: Callable[[], list[str]]
    # A record → its line of the file (the filters given: a column may depend on them).
    row: Callable[[Any, dict], list[Any]]
    # Raw filter values (strings) → the cleaned filters; ValidationError on bad input.
    clean: Callable[[Any, dict], dict]


def _visible_id(user, model, raw: str | None, field: str, message: str) -> int | None:
    if raw in (None, ""):
        return None
    if not str(raw).isdigit():
        raise ValidationError({field: message})
    pk = int(raw)
    if not model.objects.visible_to(user).filter(pk=pk).exists():
        raise ValidationError({field: message})
    return pk


def _community(user, raw: dict) -> int | None:
    value = raw.get("community")
    if value in (None, ""):
        return None
    if not str(value).isdigit():
        raise ValidationError({"community": _("Choose a community of your station.")})
    station = getattr(user, "station", None)
    pk = int(value)
    if station is None or not Community.objects.filter(pk=pk, street_id=station.street_id).exists():
        raise ValidationError({"community": _("Choose a community of your station.")})
    return pk


# --- resident list ----------------------------------------------------------------


def _residents_clean(user, raw: dict) -> dict:
    tag = raw.get("tag") or ""
    if tag and tag not in Tag.values:
        raise ValidationError({"tag": _("Choose a tag from the list.")})
    return {"community": _community(user, raw), "tag": tag}


def _residents(user, params: dict) -> models.QuerySet:
    rows = Resident.objects.visible_to(user).filter(merged_into__isnull=True)
    if params.get("community"):
        rows = rows.filter(community_id=params["community"])
    if params.get("tag"):
        today = timezone.localdate()
        tagged = ResidentTag.objects.filter(tag=params["tag"], started_on__lte=today).filter(
            models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=today)
        )
        rows = rows.filter(pk__in=tagged.values("resident_id"))
    return rows.select_related("community").order_by("name", "pk")


def _resident_row(r: Resident, params: dict) -> list[Any]:
    return [
        r.name,
        r.get_gender_display(),
        r.birth_date,
        r.id_number_masked,
        r.phone,
        r.address,
        r.community.name if r.community else "",
    ]


# --- roster extract ---------------------------------------------------------------


def _roster_clean(user, raw: dict) -> dict:
    category = raw.get("category")
    if category not in (None, ""):
        if not str(category).isdigit() or not RosterCategory.objects.filter(pk=category).exists():
            raise ValidationError({"category": _("Choose a roster category from the list.")})
        category = int(category)
    else:
        category = None
    return {"category": category, "community": _community(user, raw)}


def _roster(user, params: dict) -> models.QuerySet:
    rows = RosterEntry.objects.visible_to(user).filter(closed_on__isnull=True)
    if params.get("category"):
        rows = rows.filter(category_id=params["category"])
    if params.get("community"):
        rows = rows.filter(community_id=params["community"])
    return rows.select_related("category", "community").order_by("category__order", "name", "pk")


def _roster_row(e: RosterEntry, params: dict) -> list[Any]:
    return [
        e.name,
        e.id_number_masked,
        e.category.name,
        e.community.name if e.community else e.community_name,
        e.address,
        e.first_month,
    ]


# --- survey contacts ----------------------------------------------------------------


def _contacts_clean(user, raw: dict) -> dict:
    message = _("Choose a survey of your station.")
    survey = _visible_id(user, Survey, raw.get("survey"), "survey", message)
    if survey is None:
        raise ValidationError({"survey": message})
    return {"survey": survey}


def _contacts(user, params: dict) -> models.QuerySet:
    return (
        Response.objects.visible_to(user)
        .filter(survey_id=params["survey"])
        .exclude(contact_name="", contact_phone="")
        .order_by("answered_on", "pk")
    )


def _contact_row(r: Response, params: dict) -> list[Any]:
    return [r.answered_on, r.contact_name, r.contact_phone]


def _contacts_title(params: dict) -> str:
    survey = Survey.objects.filter(pk=params.get("survey")).only("title").first()
    return _("Survey contacts: %(title)s") % {"title": survey.title if survey else ""}


# --- meal subsidy settlement, meal by meal ----------------------------------------
# The canteen's month for one funder with one line per meal and the elder's name
# (the settlement page's "Excel for finance" holds the totals only, no name).


def _month_start(value: str) -> datetime.date:
    return datetime.datetime.strptime(value, "%Y-%m").date()


def _meals_clean(user, raw: dict) -> dict:
    month = (raw.get("month") or "").strip()
    try:
        _month_start(month)
    except ValueError:
        raise ValidationError({"month": _("Enter the month as YYYY-MM, e.g. 2026-11.")}) from None
    funder = raw.get("funder") or ""
    if funder not in FunderLevel.values:
        raise ValidationError({"funder": _("Choose who pays the subsidy from the list.")})
    station = getattr(user, "station", None)
    return {"station": station.pk if station else None, "month": month, "funder": funder}


def _meals(user, params: dict) -> models.QuerySet:
    rows = MealCheckIn.objects.visible_to(user)
    if params.get("station"):
        rows = rows.filter(station_id=params["station"])
    if params.get("month"):
        start = _month_start(params["month"])
        end = (start + datetime.timedelta(days=32)).replace(day=1)
        rows = rows.filter(served_on__gte=start, served_on__lt=end)
    return rows.select_related("resident").order_by("served_on", "meal", "resident__name", "pk")


def _meal_row(meal: MealCheckIn, params: dict) -> list[Any]:
    funder = params.get("funder") or FunderLevel.CITY
    excepted = funder in meal.lost_levels or meal.subsidy_class == SubsidyClass.NONE
    return [
        f"{meal.resident.name} · {meal.get_meal_display()}",
        meal.served_on,
        1,
        subsidies.yuan(meal.price_fen),
        subsidies.yuan(getattr(meal, f"{funder}_fen")),
        subsidies.yuan(meal.elder_fen),
        1 if excepted else 0,
    ]


def _meals_title(params: dict) -> str:
    funder = params.get("funder")
    return _("Meal subsidy settlement, meal by meal: %(month)s, %(funder)s") % {
        "month": params.get("month", ""),
        "funder": FunderLevel(funder).label if funder in FunderLevel.values else "",
    }


def _meals_headers() -> list[str]:
    return [
        _("Item"),
        _("Date"),
        _("Meals"),
        _("Meal value (yuan)"),
        _("Funder pays (yuan)"),
        _("Elders pay (yuan)"),
        _("Exceptions"),
    ]


KINDS: dict[str, Kind] = {
    ExportKind.RESIDENTS: Kind(
        title=lambda params: _("Resident list"),
        records=_residents,
        headers=lambda: [
            _("Name"),
            _("Gender"),
            _("Birth date"),
            _("ID number"),
            _("Mobile phone"),
            _("Address"),
            _("Community"),
        ],
        row=_resident_row,
        clean=_residents_clean,
    ),
    ExportKind.ROSTER: Kind(
        title=lambda params: _("Roster extract"),
        records=_roster,
        headers=lambda: [
            _("Name"),
            _("ID number"),
            _("Category"),
            _("Community"),
            _("Address"),
            _("First month"),
        ],
        row=_roster_row,
        clean=_roster_clean,
    ),
    ExportKind.SURVEY_CONTACTS: Kind(
        title=_contacts_title,
        records=_contacts,
        headers=lambda: [_("Answered on"), _("Name"), _("Phone")],
        row=_contact_row,
        clean=_contacts_clean,
    ),
    ExportKind.MEAL_SETTLEMENT: Kind(
        title=_meals_title,
        records=_meals,
        headers=_meals_headers,
        row=_meal_row,
        clean=_meals_clean,
    ),
}

# The kinds asked for on the export form (a case file is taken from its case page).
FILE_KINDS = tuple(KINDS)


def rows_of(kind: str, user, ids: Iterable[int], params: dict) -> Iterable[list[Any]]:
    """The file's rows: the approved records that `user` still may read, in the
    kind's order (a record that left the user's scope since is left out)."""
    spec = KINDS[kind]
    wanted = set(ids)
    for record in spec.records(user, {}).filter(pk__in=wanted).iterator(chunk_size=500):
        yield spec.row(record, params)
