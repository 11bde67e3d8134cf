"""The page of administering a scored assessment tool to a case's client."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from shegong.cases import forms, scoring
from shegong.cases.instruments import Instrument
from shegong.cases.views import _case_queryset, _require_work
from shegong.core.access import get_visible_or_404
from shegong.core.forms import apply_service, bootstrap


@login_required
def case_score(request, pk: int, code: str):
    """GET: the tool's items with their allowed scores; POST: score and store."""
    user = request.user
    case = get_visible_or_404(_case_queryset(user), user, pk=pk)
    _require_work(user, case)
    instrument = get_visible_or_404(Instrument, user, code=code)
    form = bootstrap(
        forms.InstrumentScoreForm(
            request.POST or None, instrument=instrument, initial={"version": case.version}
        )
    )
    status = 200
    try:
        scoring.check_instrument_fits(instrument, case)
    except ValidationError as error:
        return render(
            request,
            "cases/case_score.html",
            {"case": case, "instrument": instrument, "form": None, "refusal": error.messages},
            status=400,
        )
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            record = apply_service(
                form,
                lambda: scoring.instrument_score_record(
                    actor=user,
                    case=case,
                    instrument=instrument,
                    administered_on=data["administered_on"],
                    answers=form.answers(),
                    version=data["version"],
                ),
            )
            if record is not None:
                messages.success(
                    request,
                    _("%(tool)s scored: %(total)s, %(band)s.")
                    % {"tool": instrument.label, "total": record.total, "band": record.band_label},
                )
                return redirect("cases:case-detail", pk=case.pk)
        status = 400
    return render(
        request,
        "cases/case_score.html",
        {"case": case, "instrument": instrument, "form": form},
        status=status,
    )
