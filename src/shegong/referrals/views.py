"""The pages of the directory of services 资源库: the list with its filters, an
entry's page, and the register and edit forms."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from shegong.core.access import get_visible_or_404, require, require_at
from shegong.core.forms import apply_service, bootstrap
from shegong.core.lists import Paginator
from shegong.core.scope import CHANGE, CREATE, may_create
from shegong.referrals import filtersets, forms, selectors, services
from shegong.referrals.models import Partner

PAGE_SIZE = 25


def _status(form) -> int:
    return 400 if form.is_bound and form.errors else 200


@login_required
def partner_list(request):
    user = request.user
    queryset = selectors.partners_visible_to(user)
    filterset = filtersets.PartnerFilterSet(request.GET or None, queryset=queryset, request=request)
    bootstrap(filterset.form)
    if filterset.is_bound:
        partners = filterset.qs if filterset.is_valid() else queryset.none()
    else:
        partners = queryset
    page = Paginator(partners, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "filter_fields": [
            filterset.form[n] for n in ("q", "kind", "domain", "district", "street", "active")
        ],
        "can_create": may_create(user, Partner) and services.keeper_of(user) is not None,
    }
    return render(request, "referrals/partner_list.html", context)


@login_required
def partner_detail(request, pk: int):
    partner = get_visible_or_404(selectors.partners_visible_to(request.user), request.user, pk=pk)
    context = {"partner": partner}
    return render(request, "referrals/partner_detail.html", context)


def _form_page(request, form, title, call, success):
    if request.method == "POST" and form.is_valid():
        partner = apply_service(form, lambda: call(form.cleaned_data))
        if partner is not None:
            messages.success(request, success)
            return redirect("referrals:partner-detail", partner.pk)
    context = {"form": form, "title": title}
    return render(request, "referrals/partner_form.html", context, status=_status(form))


@login_required
def partner_create(request):
    user = request.user
    station = user.station if user.station_id else None
    require_at(user, CREATE, Partner, station)
    if services.keeper_of(user) is None:
        # An administrator's account hangs from no station, district or city:
        # there is nobody to keep the entry (the API's POST answers the same 400).
        raise PermissionDenied(
            _("Only an account of a station, a district or a city keeps entries.")
        )
    form = bootstrap(forms.PartnerForm(request.POST or None, user=user))
    return _form_page(
        request,
        form,
        _("Register an organisation"),
        lambda data: services.partner_create(actor=user, **data),
        _("Organisation registered in the directory."),
    )


@login_required
def partner_edit(request, pk: int):
    user = request.user
    partner = get_visible_or_404(Partner, user, pk=pk)
    require(user, CHANGE, partner)
    initial = {name: getattr(partner, name) for name in forms.PartnerForm.base_fields}
    initial["domains"] = partner.domain_list
    form = bootstrap(forms.PartnerForm(request.POST or None, initial=initial, user=user))

    def update(data):
        changes = {k: v for k, v in data.items() if v != initial[k]}
        return services.partner_update(actor=user, partner=partner, **changes)

    return _form_page(request, form, partner.name, update, _("Saved."))
