"""Pages of the evaluators' verification sample (抽样回访): the draw, the call
sheet with phone numbers revealed on demand, the outcomes, and the Excel of the
results (no phone numbers in it). Writes go through `evaluation.sampling`."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from shegong.core.access import get_visible_or_404
from shegong.core.exports import FORMATS, tabular_response
from shegong.core.forms import add_errors, bootstrap
from shegong.core.http import client_ip
from shegong.core.models import Domain
from shegong.core.roles import scope_name
from shegong.core.scope import VIEW, can, may
from shegong.evaluation import sampling, selectors
from shegong.evaluation.sample_models import (
    AWARENESS_ITEMS,
    CallOutcome,
    ClientSample,
    SampleEntry,
    Satisfaction,
)

STRATUM_CHOICES = [
    (sampling.stratum_key(*key), sampling.stratum_label(*key)) for key in sampling.STRATA
]
AWARENESS_CHOICES = [
    ("knows_address", gettext_lazy("Where the station is")),
    ("knows_services", gettext_lazy("What it offers")),
    ("knows_staff", gettext_lazy("Who its staff are")),
    ("knows_help", gettext_lazy("How to get help")),
    ("knows_funder", gettext_lazy("Who funds it")),
]


class DrawForm(forms.Form):
    calls = forms.IntegerField(label=gettext_lazy("Phone calls"), min_value=0, initial=50)
    visits = forms.IntegerField(label=gettext_lazy("Visits"), min_value=0, initial=10)
    strata = forms.MultipleChoiceField(
        label=gettext_lazy("Strata"),
        choices=STRATUM_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Leave empty for every stratum with clients."),
    )
    seed = forms.IntegerField(
        label=gettext_lazy("Random seed"),
        min_value=0,
        required=False,
        help_text=gettext_lazy("Leave empty for a new one; the seed is recorded."),
    )


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=gettext_lazy("Outcome"), choices=CallOutcome.choices)
    known = forms.MultipleChoiceField(
        label=gettext_lazy("Knows"),
        choices=AWARENESS_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    satisfaction = forms.TypedChoiceField(
        label=gettext_lazy("Satisfaction"),
        choices=[("", "—"), *Satisfaction.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    note = forms.CharField(label=gettext_lazy("Notes"), max_length=200, required=False)


def _visible_sheet(request, pk: int):
    sheet = get_visible_or_404(selectors.evaluations_visible_to(request.user), request.user, pk=pk)
    # The station side and the street office never read who was sampled.
    if not may(request.user, VIEW, ClientSample):
        raise Http404(_("No such record."))
    return sheet


def _context(request, sheet, draw_form=None, revealed=None, entry_errors=None):
    sample = ClientSample.objects.visible_to(request.user).filter(evaluation=sheet).first()
    may_sample = (
        can(request.user, "sample", sheet)
        and sheet.round.status == "open"
        and sheet.status == "scoring"
        and sheet.assignments.filter(evaluator=request.user).exists()
    )
    entries = list(SampleEntry.objects.filter(sample=sample)) if sample else []
    strata = [
        {**s, "label": sampling.stratum_label(s["domain"], s["category"])}
        for s in (sample.strata if sample else [])
    ]
    return {
        "sheet": sheet,
        "round": sheet.round,
        "sample": sample,
        "strata": strata,
        "entries": entries,
        "figures": sampling.sample_figures(sheet) if sample else None,
        "may_sample": may_sample,
        "draw_form": bootstrap(draw_form or DrawForm()),
        "outcomes": CallOutcome.choices,
        "awareness_choices": AWARENESS_CHOICES,
        "satisfaction_choices": Satisfaction.choices,
        "revealed": revealed or {},
        "entry_errors": entry_errors or {},
    }


@login_required
def sample_detail(request, pk: int):
    sheet = _visible_sheet(request, pk)
    return render(request, "evaluation/sample_detail.html", _context(request, sheet))


@login_required
@require_POST
def sample_draw(request, pk: int):
    sheet = _visible_sheet(request, pk)
    sampling.require_sampler(request.user, sheet)
    form = DrawForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        strata = [tuple(s.split(":")) for s in data["strata"]]
        try:
            sampling.sample_draw(
                actor=request.user,
                evaluation=sheet,
                calls=data["calls"],
                visits=data["visits"],
                strata=strata or None,
                seed=data["seed"],
            )
        except ValidationError as error:
            add_errors(form, error)
    if form.errors:
        return render(
            request,
            "evaluation/sample_detail.html",
            _context(request, sheet, draw_form=form),
            status=400,
        )
    messages.success(request, _("The sample was drawn."))
    return redirect("evaluation:sample-detail", pk=sheet.pk)


def _visible_entry(request, pk: int) -> SampleEntry:
    return get_visible_or_404(
        SampleEntry.objects.select_related("sample__evaluation__round"), request.user, pk=pk
    )


@login_required
@require_POST
def entry_reveal(request, pk: int):
    """The call sheet again, with this entry's phone number shown (logged)."""
    entry = _visible_entry(request, pk)
    sheet = entry.sample.evaluation
    sampling.require_sampler(request.user, sheet)
    try:
        phone = sampling.entry_reveal_phone(actor=request.user, entry=entry, ip=client_ip(request))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("evaluation:sample-detail", pk=sheet.pk)
    context = _context(request, sheet, revealed={entry.pk: phone})
    return render(request, "evaluation/sample_detail.html", context)


@login_required
@require_POST
def entry_record(request, pk: int):
    entry = _visible_entry(request, pk)
    sheet = entry.sample.evaluation
    sampling.require_sampler(request.user, sheet)
    form = OutcomeForm(request.POST)
    if form.is_valid():
        try:
            sampling.entry_record(actor=request.user, entry=entry, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
    if form.errors:
        errors = [str(m) for messages_ in form.errors.values() for m in messages_]
        context = _context(request, sheet, entry_errors={entry.pk: errors})
        return render(request, "evaluation/sample_detail.html", context, status=400)
    messages.success(request, _("The outcome was saved."))
    return redirect(f"{reverse('evaluation:sample-detail', args=[sheet.pk])}#entry-{entry.pk}")


@login_required
def sample_export(request, pk: int):
    """The call sheet's results (抽样回访结果): one row per sampled client, masked
    name, stratum, method, outcome, the awareness items, aware or not,
    satisfaction; never a phone number."""
    sheet = _visible_sheet(request, pk)
    fmt = request.GET.get("format", "xlsx")
    if fmt not in FORMATS:
        raise Http404(_("Unknown export format."))
    sample = ClientSample.objects.visible_to(request.user).filter(evaluation=sheet).first()
    if sample is None:
        raise Http404(_("No sample has been drawn for this station."))
    labels = dict(AWARENESS_CHOICES)
    headers = [
        _("No."),
        _("Client"),
        _("Domain"),
        _("Category"),
        _("Method"),
        _("Outcome"),
        *[str(labels[item]) for item in AWARENESS_ITEMS],
        _("Aware"),
        _("Satisfaction"),
        _("Notes"),
    ]
    yes, no = _("yes"), _("no")
    rows = (
        [
            e.position,
            e.label,
            str(Domain(e.domain).label),
            str(sampling.ClientCategory(e.category).label),
            e.get_method_display(),
            e.get_outcome_display() if e.outcome else "",
            *[
                (yes if getattr(e, item) else no) if e.outcome == CallOutcome.REACHED else ""
                for item in AWARENESS_ITEMS
            ],
            (yes if e.is_aware else no) if e.outcome == CallOutcome.REACHED else "",
            e.satisfaction if e.satisfaction is not None else "",
            e.note,
        ]
        for e in SampleEntry.objects.filter(sample=sample)
    )
    title = _("Verification calls: %(station)s") % {"station": sheet.station.name}
    return tabular_response(
        fmt,
        f"sample-{sheet.round_id}-{sheet.station.code}",
        title,
        headers,
        rows,
        scope=scope_name(request.user),
        period=f"{sheet.round.name} · {_('seed')} {sample.seed}",
    )
