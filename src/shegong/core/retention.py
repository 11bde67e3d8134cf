"""The floor of log retention, shared by the audit log's pruning
(`shegong audit_prune`) and the access log's (`shegong purge_personal_data`).

The Cybersecurity Law (网络安全法 art. 21) asks network logs to be kept at least
six months; neither log is ever kept shorter, whatever the settings say.
"""

from __future__ import annotations

MINIMUM_LOG_DAYS = 183


def log_period_refusal(kind: str, days: int) -> str | None:
    """The message refusing `days` as the retention of `kind`, or None if it is allowed."""
    if days < MINIMUM_LOG_DAYS:
        return (
            f"{kind} are kept at least {MINIMUM_LOG_DAYS} days (six months); "
            f"a period of {days} days is refused."
        )
    return None
