"""The retention policy 保存期限: how long each kind of personal record is kept
after it is done with, the floor below which no setting may go, and why.

The periods are settings (`RETENTION_DAYS`, one `SHEGONG_RETENTION_<KIND>_DAYS`
environment variable each), not a table officers edit: see docs/decisions.md
"Retention periods are settings" and the policy table in docs/privacy.md.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings

from shegong.core.retention import MINIMUM_LOG_DAYS, log_period_refusal

ANONYMISED = "已匿名"


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    # counted from
    after: str
    minimum_days: int
    # the purge's own step (None: another command keeps it, e.g. audit_prune)
    purged_here: bool = True

    @property
    def days(self) -> int:
        return int(settings.RETENTION_DAYS[self.key])

    def before(self, today: datetime.date) -> datetime.date:
        """Records done with before this day are past retention."""
        return today - datetime.timedelta(days=self.days)

    def refusal(self) -> str | None:
        if self.minimum_days == MINIMUM_LOG_DAYS:
            return log_period_refusal(self.label, self.days)
        if self.days < self.minimum_days:
            return (
                f"{self.label} are kept at least {self.minimum_days} days; "
                f"a period of {self.days} days is refused."
            )
        return None


KINDS: dict[str, Kind] = {
    kind.key: kind
    for kind in (
        Kind("closed_cases", "Closed cases", "the day the case closed", 3 * 365),
        # A file (a copy of an ID card or a certificate, a photo of a home) says
        # more about a person than the case's text and is not needed to count
        # or evaluate the work: kept 3 years after the case closed, the length of
        # a station's service contract, within which the district's evaluations
        # may ask for a closed case's evidence; the case's text stays 10 years.
        Kind("case_documents", "Documents of closed cases", "the day the case closed", 365),
        # A resident who never had a case came to a group, an activity or the
        # canteen: their name is needed while they come and while the contract
        # that counted them is evaluated. Anonymised 3 years after the last
        # service (one service contract); the floor is one annual evaluation.
        Kind(
            "residents_without_cases",
            "Residents without a case",
            "their last service or change",
            365,
        ),
        Kind("survey_contacts", "Survey contact details", "the day the survey closed", 90),
        # An evaluator's evidence (a photo of a sign-in sheet, of an activity, a
        # scanned register) backs a score; the score, its note, the totals, the
        # grade and the ranks stay for good. Kept 3 years after the round was
        # finalised: the civil limitation period (民法典 art. 188) of a claim over
        # an instalment the result held or reduced (a procurement contract is a
        # civil one, 政府采购法 art. 43), and one service contract, whose later
        # rounds and renewal re-read it. Not the procurement file of 政府采购法
        # art. 42 (15 years): the result and the acceptance are, and they stay.
        # The floor: the next year's round, the station's reply and the buyer's
        # acceptance of the year all come within a year of the result.
        Kind(
            "evaluation_evidence",
            "Evaluation evidence files",
            "the day the round was finalised",
            365,
        ),
        # A sign-up from an activity's QR link leaves a name and a mobile number
        # for that activity only (the place, the waiting list, a change of time):
        # cleared a year after the activity ended; the floor leaves a quarter for
        # the follow-up and the quarter's report. The sign-up row stays (status,
        # resident link): the activity's counts and its attendance do not change.
        Kind("activity_signups", "Activity sign-ups", "the day the activity ended", 90),
        # The station's files answering an inspection's finding (photos, scans):
        # the item, its response and the officer's decision stay. As the
        # evaluators' evidence: 3 years after the item was accepted (one service
        # contract, whose evaluations re-read its inspections); the floor is the
        # next year's inspection.
        Kind(
            "rectification_evidence",
            "Rectification files",
            "the day the item was accepted",
            365,
        ),
        Kind("roster_entries", "Closed roster entries", "the day the person left the list", 365),
        Kind("access_logs", "Access log entries", "the day of the read", MINIMUM_LOG_DAYS),
        Kind(
            "audit_entries",
            "Audit entries",
            "the day of the entry",
            MINIMUM_LOG_DAYS,
            purged_here=False,
        ),
    )
}


def refusals() -> list[str]:
    """Every configured period below its floor, as a message."""
    return [message for kind in KINDS.values() if (message := kind.refusal())]
