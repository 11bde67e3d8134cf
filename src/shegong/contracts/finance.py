"""What the contracts give the evaluation's finance review 财务审查: the computed
indicator `personnel_share`, registered into `evaluation.computed.REGISTRY` by the
app's `ready` (contracts sit above evaluation in the layers).

For a station and a round's period: the station's contract with recorded terms
whose term overlaps the period (the latest if several), and its spending
recorded per budget line up to the period's end.

    share = personnel spending / all spending × 100 (two places, half up)
    ratio = share / 65, so the indicator earns its full points from 65 %
            (since 2018 personnel is at least 65 % of a contract) and less below;
    no contract or no spending yet → no data.

Used as a veto indicator, a share below 65 % (a score below the maximum) fails
or caps the result.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shegong.contracts.models import PERSONNEL_MIN_SHARE, BudgetLine, ContractTerms, Spending
from shegong.evaluation.computed import RATIO_PLACES, Computation, Figure, Period

CENT = Decimal("0.01")
CODE = "personnel_share"


def _terms(station, period: Period) -> ContractTerms | None:
    return (
        ContractTerms.objects.filter(
            station=station,
            contract__starts_on__lte=period.ends_on,
            contract__ends_on__gte=period.starts_on,
        )
        .select_related("contract")
        .order_by("-contract__starts_on")
        .first()
    )


def personnel_share(station, period: Period) -> Figure:
    terms = _terms(station, period)
    if terms is None:
        return Figure(None, _("No contract with recorded terms in the period."))
    sums = Spending.objects.filter(terms=terms, spent_on__lte=period.ends_on).aggregate(
        total=Sum("amount"), personnel=Sum("amount", filter=Q(line=BudgetLine.PERSONNEL))
    )
    total = sums["total"] or Decimal(0)
    if not total:
        return Figure(
            None,
            _("No spending recorded on contract %(code)s yet.") % {"code": terms.contract.code},
        )
    personnel = sums["personnel"] or Decimal(0)
    share = (personnel * 100 / total).quantize(CENT, ROUND_HALF_UP)
    return Figure(
        (share / PERSONNEL_MIN_SHARE).quantize(RATIO_PLACES, ROUND_HALF_UP),
        _(
            "Personnel %(share)s%% of %(total)s yuan spent on contract %(code)s "
            "(at least %(minimum)s%%)"
        )
        % {
            "share": share,
            "total": total,
            "code": terms.contract.code,
            "minimum": PERSONNEL_MIN_SHARE,
        },
    )


COMPUTATION = Computation(
    CODE, gettext_lazy("Personnel share of the contract's spending ≥ 65 %"), personnel_share
)
