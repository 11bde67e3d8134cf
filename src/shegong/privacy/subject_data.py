"""Everything held about one resident, for their request to see and copy it
(PIPL art. 45): the resident's own record and household, and every row of every
model that points to the resident — consents, classifications, tags, attendance,
meals, roster entries, appointments, observations, cases — and, for each of their
cases, every row that points to the case. Found from the models' relations, not
from a list, so a model added later is in the export without a change here —
including a foreign key declared with `related_name="+"` (no reverse accessor,
as the activity sign-ups'), which `_meta.related_objects` leaves out: the
relations are read with `include_hidden=True`. Left out on purpose: SKIPPED_MODELS."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.db import models

from shegong.cases.models import Case
from shegong.clients import identity
from shegong.clients.models import Resident
from shegong.evaluation.models import SampleEntry
from shegong.privacy.models import SubjectRequest
from shegong.stats.models import ClientYear

# Internal keys and derived columns: not personal data the person gave or we hold
# about them, or (the hashes) nothing a person can read.
SKIPPED_FIELDS = frozenset(
    {
        "id_number_hash",
        "id_number_encrypted",
        "name_pinyin",
        "name_initials",
        "version",
        "token_hash",
        # A sign-up's secret link (its cancel page): a credential, not data.
        "token",
        # A stored file's own name and path (the export lists its original name).
        "stored_name",
        "file",
    }
)
SKIPPED_MODELS: frozenset[type[models.Model]] = frozenset(
    {
        # The platform's own work on the request, not the person.
        SubjectRequest,
        # The evaluators' verification sample (抽样回访): which of the station's
        # clients the district's evaluators drew and called is their blind check
        # on the station's records. The copy is downloaded by the station's
        # director, so it must never tell the station who was sampled, nor
        # what the person told the evaluators. A resident who asks the
        # evaluators is answered by them (docs/privacy.md).
        SampleEntry,
        # A yearly count derived from the attendance rows, which are in the copy.
        ClientYear,
    }
)


@dataclass(frozen=True)
class Section:
    key: str  # the model's label, e.g. "clients.consent"
    title: str  # its verbose name, e.g. 同意书
    rows: list[dict[str, tuple[str, str]]]  # field name -> (label, value)


def _value(obj: models.Model, field: models.Field) -> str:
    if field.choices:
        return str(getattr(obj, f"get_{field.name}_display")())
    if isinstance(field, models.ForeignKey):
        target = getattr(obj, field.name)
        return "" if target is None else str(target)
    value = getattr(obj, field.attname)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _row(obj: models.Model) -> dict[str, tuple[str, str]]:
    row = {}
    for field in obj._meta.concrete_fields:
        if field.name in SKIPPED_FIELDS:
            continue
        row[field.name] = (str(field.verbose_name), _value(obj, field))
    # A model may say how some of its values read (a stored msgid translated,
    # JSON answers with their labels): `subject_values()` -> {field name: text}.
    readable = getattr(obj, "subject_values", None)
    if callable(readable):
        for name, value in readable().items():
            if name in row:
                row[name] = (row[name][0], value)
    return row


def _relations(target: models.Model) -> Iterator[models.ForeignObjectRel]:
    """Every relation pointing to `target`'s model, hidden ones (related_name="+")
    included, but not the tables Django makes for a many-to-many field (the
    field's own relation gives its rows)."""
    for field in target._meta.get_fields(include_hidden=True):
        if not field.auto_created or field.concrete or not field.is_relation:
            continue
        if field.related_model._meta.auto_created:
            continue
        yield field


def _related(target: models.Model) -> Iterator[tuple[type[models.Model], models.QuerySet]]:
    for relation in _relations(target):
        model = relation.related_model
        if model in SKIPPED_MODELS or model is Case:
            continue
        # A foreign key, one-to-one or many-to-many field to `target`: one filter,
        # the rows' own foreign keys (whose labels the export shows) read with them.
        labelled = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.ForeignKey) and f.name not in SKIPPED_FIELDS
        ]
        rows = model._base_manager.filter(**{relation.field.name: target})
        yield model, rows.select_related(*labelled)


def _section(model: type[models.Model], rows: list[models.Model]) -> Section:
    return Section(
        key=model._meta.label_lower,
        title=str(model._meta.verbose_name_plural),
        rows=[_row(obj) for obj in rows],
    )


def subject_data(resident: Resident) -> list[Section]:
    """The sections of the export, the resident's own record first. The ID number
    is given in clear: it is the person's own, and this is their copy."""
    own = _row(resident)
    number = identity.decrypt(resident.id_number_encrypted)
    own["id_number"] = (str(Resident._meta.get_field("id_number_masked").verbose_name), number)
    own.pop("id_number_masked", None)
    sections = [
        Section(
            key=Resident._meta.label_lower,
            title=str(Resident._meta.verbose_name),
            rows=[own],
        )
    ]
    if resident.household_id:
        sections.append(_section(type(resident.household), [resident.household]))
    found: dict[type[models.Model], list[models.Model]] = {}
    cases = list(Case._base_manager.filter(client=resident).order_by("pk"))
    for model, queryset in _related(resident):
        found.setdefault(model, []).extend(queryset.order_by("pk"))
    for case in cases:
        for model, queryset in _related(case):
            found.setdefault(model, []).extend(queryset.order_by("pk"))
    if cases:
        sections.append(_section(Case, cases))
    for model, rows in sorted(found.items(), key=lambda item: item[0]._meta.label_lower):
        unique = list({obj.pk: obj for obj in rows}.values())
        if unique:
            sections.append(_section(model, unique))
    return sections


def as_json(sections: list[Section]) -> dict:
    return {
        section.key: [
            {name: value for name, (_label, value) in row.items()} for row in section.rows
        ]
        for section in sections
    }


def as_table(sections: list[Section]) -> Iterator[list[str]]:
    """One line per field: section, record number, field, value (a readable sheet)."""
    for section in sections:
        for number, row in enumerate(section.rows, start=1):
            for label, value in row.values():
                yield [section.title, str(number), label, value]
