"""Rotation of SHEGONG_FIELD_KEY (docs/privacy.md, "Key rotation").

The operator sets the new key as SHEGONG_FIELD_KEY and the old one as
SHEGONG_FIELD_KEY_PREVIOUS and restarts: from then on every value decrypts under
either key, new values are written under the new one, and look-ups match either
digest (`identity.lookup_hashes`), so the service runs on. `field_key_rotate`
then re-encrypts and re-hashes the stored values in small batches, each its own
transaction: it can be stopped at any moment and run again, and a run skips the
rows already under the new key. When `field_key_status` counts no row left under
the previous key, the operator removes SHEGONG_FIELD_KEY_PREVIOUS.
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
from shegong.rosters.models import RosterEntry

# Every model holding an encrypted value and its keyed digest: (model, token, digest).
ENCRYPTED: tuple[tuple[type[models.Model], str, str], ...] = (
    (Resident, "id_number_encrypted", "id_number_hash"),
    (RosterEntry, "id_number_encrypted", "id_number_hash"),
)


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


def field_key_status() -> dict[str, int]:
    """Rows per model whose value is not yet under the current key."""
    left = {}
    for model, token, _digest in ENCRYPTED:
        values = model._base_manager.exclude(**{token: ""}).values_list(token, flat=True)
        left[_label(model)] = sum(
            1 for value in values.iterator(2000) if not identity.under_current_key(value)
        )
    return left


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
    audit.record(
        "bulk",
        object_type="privacy.key_rotation",
        object_repr="SHEGONG_FIELD_KEY rotation",
        detail={"rotated": report.rotated, "already_rotated": report.skipped},
    )
    return report
