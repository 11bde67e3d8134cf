"""Scored assessment tools 评估量表: an `Instrument` is data (its items, each
item's allowed scores, and bands over the total), and an `InstrumentScore` is one
administration of it to the client of a case, with the answers, the total and the
band, computed once by `score_answers` and stored.

The built-in instruments (the Barthel index, a needs checklist per domain, a risk
screen) are seeded by a data migration from `cases.instrument_builtins`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from shegong.cases.content import content_scope
from shegong.core.models import Domain, TimeStampedModel
from shegong.core.scope import Scope, ScopedQuerySet


class Instrument(TimeStampedModel):
    """评估量表: a configurable scored tool.

    `items`: a list of {"key", "label", "options": [{"score", "label"}, ...]};
    the allowed scores of an item are its options' scores. `bands`: a list of
    {"min", "max", "label"} over the total, covering every possible total once.
    Labels are English msgids, shown translated."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    # Blank: usable in a case of any domain.
    domain = models.CharField(_("domain"), max_length=10, choices=Domain.choices, blank=True)
    description = models.TextField(_("description"), blank=True)
    items = models.JSONField(_("items"))
    bands = models.JSONField(_("bands"))
    active = models.BooleanField(_("active"), default=True)

    objects = ScopedQuerySet.as_manager()
    # Reference data: every account reads the active tools; superusers keep them.
    scope = Scope(public=Q(active=True))

    class Meta:
        verbose_name = _("assessment tool")
        verbose_name_plural = _("assessment tools")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return gettext(self.name)

    @property
    def label(self) -> str:
        return gettext(self.name)

    def allowed_scores(self, item: dict) -> list[int]:
        return [option["score"] for option in item["options"]]

    def total_range(self) -> tuple[int, int]:
        lows = [min(self.allowed_scores(item)) for item in self.items]
        highs = [max(self.allowed_scores(item)) for item in self.items]
        return sum(lows), sum(highs)

    def clean(self) -> None:
        if not isinstance(self.items, list) or not self.items:
            raise ValidationError({"items": _("A tool has at least one item.")})
        keys = set()
        for item in self.items:
            options = item.get("options") if isinstance(item, dict) else None
            if (
                not isinstance(options, list)
                or not options
                or not item.get("key")
                or not item.get("label")
                or not all(isinstance(o.get("score"), int) for o in options)
            ):
                raise ValidationError(
                    {"items": _("Each item needs a key, a label and scored options.")}
                )
            if item["key"] in keys:
                raise ValidationError({"items": _("Two items have the same key.")})
            keys.add(item["key"])
        low, high = self.total_range()
        covered = []
        for band in self.bands if isinstance(self.bands, list) else []:
            if not isinstance(band.get("min"), int) or not isinstance(band.get("max"), int):
                raise ValidationError({"bands": _("Each band needs a minimum and a maximum.")})
            covered.extend(range(band["min"], band["max"] + 1))
        if sorted(covered) != list(range(low, high + 1)):
            raise ValidationError(
                {
                    "bands": _("The bands must cover every total from %(low)s to %(high)s once.")
                    % {"low": low, "high": high}
                }
            )


@dataclass(frozen=True)
class Scored:
    total: int
    band: str


def _as_score(value: Any) -> int | None:
    """An answer as a score: an integer, or the digits of one (a form's value)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    return None


def score_answers(instrument: Instrument, answers: dict[str, Any]) -> Scored:
    """The total and the band of `answers` ({item key: score}) on `instrument`:
    refused with a message naming the item when one is missing, unknown or given
    a score it does not allow."""
    known = {item["key"] for item in instrument.items}
    unknown = sorted(set(answers) - known)
    if unknown:
        raise ValidationError(
            _("The tool has no item %(item)s.") % {"item": unknown[0]}, code="unknown_item"
        )
    total = 0
    for item in instrument.items:
        label = gettext(item["label"])
        if item["key"] not in answers or answers[item["key"]] in (None, ""):
            raise ValidationError(
                _("Item “%(item)s” is not answered.") % {"item": label}, code="missing_item"
            )
        allowed = instrument.allowed_scores(item)
        score = _as_score(answers[item["key"]])
        if score is None or score not in allowed:
            raise ValidationError(
                _("%(score)s is not an allowed score for “%(item)s” (allowed: %(allowed)s).")
                % {
                    "score": answers[item["key"]],
                    "item": label,
                    "allowed": ", ".join(str(s) for s in allowed),
                },
                code="score_not_allowed",
            )
        total += score
    for band in instrument.bands:
        if band["min"] <= total <= band["max"]:
            return Scored(total=total, band=band["label"])
    raise ValidationError(_("No band of the tool holds the total %(total)s.") % {"total": total})


class InstrumentScore(TimeStampedModel):
    """One administration of a tool to the client of a case: case content,
    confidential like the assessment it supports."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="scores", verbose_name=_("case")
    )
    instrument = models.ForeignKey(
        Instrument, on_delete=models.PROTECT, related_name="+", verbose_name=_("assessment tool")
    )
    administered_on = models.DateField(_("date"))
    # {item key: score}, as answered.
    answers = models.JSONField(_("answers"))
    total = models.IntegerField(_("total score"))
    # The band's label (an English msgid) when scored: kept if the tool's bands change.
    band = models.CharField(_("band"), max_length=100)
    author = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )

    objects = ScopedQuerySet.as_manager()
    scope = content_scope("case")

    class Meta:
        verbose_name = _("assessment tool score")
        verbose_name_plural = _("assessment tool scores")
        ordering = ["-administered_on", "-pk"]
        indexes = [models.Index(fields=["case", "instrument", "administered_on"])]

    def __str__(self) -> str:
        return f"{self.instrument} {self.administered_on} {self.total}"

    @property
    def band_label(self) -> str:
        return gettext(self.band)

    def answers_text(self) -> str:
        """The answers in the tool's item order, each with its item's label:
        "进食: 10; 洗澡: 5; …" (an answer to an item since removed keeps its key)."""
        labels = {item["key"]: gettext(item["label"]) for item in self.instrument.items}
        keys = [key for key in labels if key in self.answers]
        keys += [key for key in self.answers if key not in labels]
        return "; ".join(f"{labels.get(key, key)}: {self.answers[key]}" for key in keys)

    def subject_values(self) -> dict[str, str]:
        """Readable values for the resident's copy of their data (privacy.subject_data)."""
        return {"band": self.band_label, "answers": self.answers_text()}
