"""Writes of the excellent-case library 优秀案例: one service per transition.

    (director) create ─→ draft ─submit→ nominated ─publish→ published  (city officer)
                     └──(submit=True)──────↗      └─return→ returned ─submit→ nominated
    draft / returned: the director edits the write-up

Only a closed case of the director's own station can be nominated, and every
text must pass the anonymisation check (`cases.anonymise`) on each save and
again on publishing, so nothing naming the client is ever stored or published.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.accounts.models import User
from shegong.cases.anonymise import check_anonymous
from shegong.cases.models import LIBRARY_REVIEW, Case, CaseStatus, LibraryCase, LibraryStatus
from shegong.core.access import ensure_visible, require, require_at
from shegong.core.errors import EditConflict
from shegong.core.models import Domain
from shegong.core.scope import CHANGE, CREATE

TEXT_FIELDS = ("title", "background", "assessment", "intervention", "outcome", "reflection")
WRITE_UP_FIELDS = (*TEXT_FIELDS, "domain")


def nominate_refused() -> str:
    return _("Only the station director nominates excellent cases.")


def review_refused() -> str:
    return _("Only a city officer publishes or returns nominations.")


def _refuse(message: str) -> ValidationError:
    return ValidationError(message, code="invalid_transition")


def _check_write_up(case: Case, fields: dict[str, Any]) -> None:
    texts = {name: (fields.get(name) or "").strip() for name in TEXT_FIELDS}
    missing = {name: _("This field is required.") for name, text in texts.items() if not text}
    if missing:
        raise ValidationError(missing)
    if fields.get("domain") not in Domain.values:
        raise ValidationError({"domain": _("Unknown domain.")})
    check_anonymous(case, texts)


def _lock(actor: User, entry: LibraryCase, version: int | None) -> LibraryCase:
    ensure_visible(actor, entry)
    locked = LibraryCase.objects.select_for_update().get(pk=entry.pk)
    if version is not None and locked.version != version:
        raise EditConflict()
    return locked


def _save(entry: LibraryCase) -> LibraryCase:
    entry.version += 1
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def library_case_create(
    *,
    actor: User,
    case: Case,
    title: str,
    domain: str,
    background: str,
    assessment: str,
    intervention: str,
    outcome: str,
    reflection: str,
    submit: bool = True,
) -> LibraryCase:
    """The director writes up a closed case of the station, anonymised; with
    `submit` it is nominated for the library at once, else kept as a draft."""
    ensure_visible(actor, case)
    # The entry's create: the director of the case's station (the entry's scope).
    require_at(actor, CREATE, LibraryCase, case.station, message=nominate_refused())
    case = Case.objects.select_related("client", "station__street__district").get(pk=case.pk)
    if case.status != CaseStatus.CLOSED:
        raise _refuse(_("Only a closed case can be nominated as an excellent case."))
    if LibraryCase.objects.filter(case=case).exists():
        raise _refuse(_("This case has already been nominated."))
    fields = {
        "title": title,
        "domain": domain,
        "background": background,
        "assessment": assessment,
        "intervention": intervention,
        "outcome": outcome,
        "reflection": reflection,
    }
    _check_write_up(case, fields)
    entry = LibraryCase(
        case=case,
        station_id=case.station_id,
        nominated_by=actor,
        year=(case.closed_on or timezone.localdate()).year,
        status=LibraryStatus.NOMINATED if submit else LibraryStatus.DRAFT,
        **{k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items()},
    )
    entry.full_clean()
    entry.save()
    ensure_visible(actor, entry)
    return entry


@transaction.atomic
def library_case_update(
    *, actor: User, entry: LibraryCase, version: int | None = None, **changes: Any
) -> LibraryCase:
    """The director edits a draft or a returned nomination."""
    unknown = set(changes) - set(WRITE_UP_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown field."))
    entry = _lock(actor, entry, version)
    require(actor, CHANGE, entry, message=nominate_refused())
    if not entry.is_editable:
        raise _refuse(_("Only a draft or a returned nomination can be edited."))
    fields = {name: getattr(entry, name) for name in WRITE_UP_FIELDS} | changes
    _check_write_up(entry.case, fields)
    for name, value in fields.items():
        setattr(entry, name, value.strip() if isinstance(value, str) else value)
    return _save(entry)


@transaction.atomic
def library_case_submit(*, actor: User, entry: LibraryCase, version: int | None = None):
    """Nominate a draft, or a returned nomination after its changes."""
    entry = _lock(actor, entry, version)
    require(actor, CHANGE, entry, message=nominate_refused())
    if not entry.is_editable:
        raise _refuse(_("Only a draft or a returned nomination can be submitted."))
    _check_write_up(entry.case, {name: getattr(entry, name) for name in WRITE_UP_FIELDS})
    entry.status = LibraryStatus.NOMINATED
    return _save(entry)


@transaction.atomic
def library_case_publish(
    *, actor: User, entry: LibraryCase, version: int | None = None
) -> LibraryCase:
    """A city officer publishes a nomination into the library. The anonymisation
    check runs again: the client's record may have changed since."""
    entry = _lock(actor, entry, version)
    require(actor, LIBRARY_REVIEW, entry, message=review_refused())
    if entry.status != LibraryStatus.NOMINATED:
        raise _refuse(_("Only a nominated case can be published."))
    _check_write_up(entry.case, {name: getattr(entry, name) for name in WRITE_UP_FIELDS})
    entry.status = LibraryStatus.PUBLISHED
    entry.published_on = timezone.localdate()
    entry.reviewed_by = actor
    entry.review_comment = ""
    return _save(entry)


@transaction.atomic
def library_case_return(
    *, actor: User, entry: LibraryCase, comment: str, version: int | None = None
) -> LibraryCase:
    """A city officer returns a nomination to the station with a comment."""
    entry = _lock(actor, entry, version)
    require(actor, LIBRARY_REVIEW, entry, message=review_refused())
    if entry.status != LibraryStatus.NOMINATED:
        raise _refuse(_("Only a nominated case can be returned."))
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Say what should change.")})
    entry.status = LibraryStatus.RETURNED
    entry.review_comment = comment
    entry.reviewed_by = actor
    return _save(entry)
