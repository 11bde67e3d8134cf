"""Rotation of SHEGONG_FIELD_KEY (docs/privacy.md, "Key rotation").

The operator sets the new key as SHEGONG_FIELD_KEY and the old one as
SHEGONG_FIELD_KEY_PREVIOUS and restarts: from then on every value decrypts under
either key, new values are written under the new one, and look-ups match either
digest (`identity.lookup_hashes`), so the service runs on. `field_key_rotate`
then re-encrypts and re-hashes the stored values in small batches, each its own
transaction: it can be stopped at any moment and run again, and a run skips the
rows already under the new key. When `field_key_status` counts no row left under
the previous key, the operator removes SHEGONG_FIELD_KEY_PREVIOUS.

Besides the model fields (ENCRYPTED), a background job's result may hold
encrypted values (JOB_TOKENS): the staff import keeps the new accounts'
activation tokens encrypted in its job until the result page is first opened.
They are re-encrypted with the fields, counted under "core.job"; a job kind
that stores an encrypted value in its result adds a line there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from shegong.clients import identity
from shegong.clients.models import Resident
from shegong.core import audit
from shegong.core.models import Job
from shegong.rosters.models import RosterEntry

# Every model holding an encrypted value and its keyed digest: (model, token, digest).
ENCRYPTED: tuple[tuple[type[models.Model], str, str], ...] = (
    (Resident, "id_number_encrypted", "id_number_hash"),
    (RosterEntry, "id_number_encrypted", "id_number_hash"),
)


# Job results holding encrypted values: (job kind, result key, position of the
# token in each of that key's rows). golive.import_jobs' staff import stores
# [username, full name, encrypted activation token] per new account.
JOB_TOKENS: tuple[tuple[str, str, int], ...] = (("staff_import", "activations", 2),)
JOBS = "core.job"


@dataclass
class RotationReport:
    # model label -> rows re-encrypted by this run / rows found already rotated
    rotated: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.rotated.values())


def _label(model: type[models.Model]) -> str:
    return model._meta.label_lower


def _job_tokens(job: Job) -> list[tuple[list, int]]:
    """The (row, position) of every encrypted value in `job`'s result."""
    found = []
    result = job.result if isinstance(job.result, dict) else {}
    for kind, key, position in JOB_TOKENS:
        if job.kind != kind:
            continue
        for row in result.get(key) or []:
            if isinstance(row, list) and len(row) > position and row[position]:
                found.append((row, position))
    return found


def _jobs_with_tokens() -> models.QuerySet:
    return Job.objects.filter(kind__in=[kind for kind, _k, _p in JOB_TOKENS]).exclude(
        result__isnull=True
    )


def field_key_status() -> dict[str, int]:
    """Values per model not yet under the current key (a row each for the model
    fields; each encrypted value of a job's result for "core.job")."""
    left = {}
    for model, token, _digest in ENCRYPTED:
        values = model._base_manager.exclude(**{token: ""}).values_list(token, flat=True)
        left[_label(model)] = sum(
            1 for value in values.iterator(2000) if not identity.under_current_key(value)
        )
    left[JOBS] = sum(
        1
        for job in _jobs_with_tokens().only("pk", "kind", "result").iterator(200)
        for row, position in _job_tokens(job)
        if not identity.under_current_key(row[position])
    )
    return left


def _rotate_job_batch(after: int, size: int) -> tuple[int, int, int]:
    """Re-encrypt the tokens of one batch of jobs with pk > after: (last pk,
    values rotated, values already rotated). The job's row is locked: the result
    page, which shows the links and then empties the list, waits or sees it new."""
    with transaction.atomic():
        jobs = list(
            _jobs_with_tokens()
            .select_for_update()
            .filter(pk__gt=after)
            .order_by("pk")
            .only("pk", "kind", "result")[:size]
        )
        if not jobs:
            return after, 0, 0
        rotated = skipped = 0
        for job in jobs:
            changed = False
            for row, position in _job_tokens(job):
                if identity.under_current_key(row[position]):
                    skipped += 1
                    continue
                row[position] = identity.encrypt(identity.decrypt(row[position]))
                rotated += 1
                changed = True
            if changed:
                Job.objects.filter(pk=job.pk).update(result=job.result)
        return jobs[-1].pk, rotated, skipped


def _rotate_batch(model, token: str, digest: str, after: int, size: int) -> tuple[int, int, int]:
    """Re-encrypt one batch of rows with pk > after: (last pk, rotated, skipped)."""
    with transaction.atomic():
        rows = list(
            model._base_manager.select_for_update()
            .filter(pk__gt=after)
            .exclude(**{token: ""})
            .order_by("pk")
            .only("pk", token, digest)[:size]
        )
        if not rows:
            return after, 0, 0
        changed = []
        for row in rows:
            stored = getattr(row, token)
            if identity.under_current_key(stored):
                continue
            plain = identity.decrypt(stored)
            setattr(row, token, identity.encrypt(plain))
            # A merged duplicate keeps no digest (it must not match); keep it so.
            if getattr(row, digest):
                setattr(row, digest, identity.lookup_hash(plain))
            changed.append(row)
        if changed:
            model._base_manager.bulk_update(changed, [token, digest])
        return rows[-1].pk, len(changed), len(rows) - len(changed)


def field_key_rotate(
    *, batch_size: int = 500, progress: Callable[[str, int], None] | None = None
) -> RotationReport:
    """Re-encrypt every value still under SHEGONG_FIELD_KEY_PREVIOUS, batch by batch."""
    if not identity.rotation_pending():
        raise ValidationError(
            _(
                "No key rotation is under way: set SHEGONG_FIELD_KEY to the new key and "
                "SHEGONG_FIELD_KEY_PREVIOUS to the old one first."
            )
        )
    if batch_size < 1:
        raise ValidationError(_("The batch size must be at least 1."))
    report = RotationReport()
    for model, token, digest in ENCRYPTED:
        label = _label(model)
        report.rotated[label] = report.skipped[label] = 0
        after = 0
        while True:
            last, rotated, skipped = _rotate_batch(model, token, digest, after, batch_size)
            if last == after:
                break
            after = last
            report.rotated[label] += rotated
            report.skipped[label] += skipped
            if progress is not None:
                progress(label, rotated + skipped)
    report.rotated[JOBS] = report.skipped[JOBS] = 0
    after = 0
    while True:
        last, rotated, skipped = _rotate_job_batch(after, batch_size)
        if last == after:
            break
        after = last
        report.rotated[JOBS] += rotated
        report.skipped[JOBS] += skipped
        if progress is not None:
            progress(JOBS, rotated + skipped)
    audit.record(
        "bulk",
        object_type="privacy.key_rotation",
        object_repr="SHEGONG_FIELD_KEY rotation",
        detail={"rotated": report.rotated, "already_rotated": report.skipped},
    )
    return report
