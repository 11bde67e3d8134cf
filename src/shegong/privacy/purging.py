"""The purge steps, one mechanism: each kind of record past retention is handled
by one registered step (as the resident merge steps are, clients.services).

A step is `step(*, before: datetime.date, dry_run: bool) -> dict[str, int]`: it
finds the records of its kind done with before `before`, returns how many of each
it anonymises or deletes, and changes them only when `dry_run` is false. It must
count what it would change, not what exists, so that a second run counts zero.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

Step = Callable[..., dict[str, int]]

PURGE_STEPS: dict[str, list[Step]] = {}


def register_purge_step(kind: str, step: Step) -> None:
    """Add `step` to the purge of `kind` (a key of policy.KINDS), once."""
    from shegong.privacy.policy import KINDS

    if kind not in KINDS or not KINDS[kind].purged_here:
        raise ValueError(f"no purge for {kind!r}")
    steps = PURGE_STEPS.setdefault(kind, [])
    if step not in steps:
        steps.append(step)


def run_steps(
    *, today: datetime.date, dry_run: bool, progress: Callable[[int], None] | None = None
) -> dict[str, dict[str, int]]:
    """Every kind's steps; `progress(1)` after each kind."""
    from shegong.privacy.policy import KINDS

    counts: dict[str, dict[str, int]] = {}
    for key, steps in PURGE_STEPS.items():
        before = KINDS[key].before(today)
        found: dict[str, int] = {}
        for step in steps:
            for name, n in step(before=before, dry_run=dry_run).items():
                found[name] = found.get(name, 0) + n
        counts[key] = found
        if progress is not None:
            progress(1)
    return counts
