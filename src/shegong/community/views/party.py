"""Party organisations and their members."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from shegong.community import forms, selectors, services
from shegong.community.models import PartyOrganisation
from shegong.community.views._common import (
    PAGE_SIZE,
    form_status,
    keeps_station_records,
    station_create_page,
)
from shegong.core.access import get_visible_or_404, require
from shegong.core.forms import apply_service, bootstrap
from shegong.core.lists import Paginator
from shegong.core.scope import CHANGE, can, may_create


@login_required
def party_list(request):
    user = request.user
    organisations = selectors.party_organisations_visible_to(user)
    page = Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "can_write": may_create(user, PartyOrganisation),
        "many_stations": not keeps_station_records(user),
    }
    return render(request, "community/party_list.html", context)


@login_required
def party_organisation_create(request):
    return station_create_page(
        request,
        PartyOrganisation,
        forms.PartyOrganisationForm,
        services.party_organisation_create,
        success=_("Party organisation registered."),
        title=_("Register a party organisation"),
        next_url=lambda organisation: reverse("community:party-detail", args=[organisation.pk]),
    )


@login_required
def party_detail(request, pk: int):
    """A party organisation with its members; the station's staff add members."""
    user = request.user
    organisation = get_visible_or_404(selectors.party_organisations_visible_to(user), user, pk=pk)
    may_write = can(user, CHANGE, organisation)
    form = bootstrap(forms.PartyMemberForm(request.POST or None)) if may_write else None
    if request.method == "POST":
        require(user, CHANGE, organisation)
        if form.is_valid():
            member = apply_service(
                form,
                lambda: services.party_member_add(
                    actor=user, organisation=organisation, **form.cleaned_data
                ),
            )
            if member is not None:
                messages.success(request, _("Party member %(name)s added.") % {"name": member})
                return redirect("community:party-detail", pk=organisation.pk)
    context = {
        "organisation": organisation,
        "members": selectors.party_members_of(user, organisation),
        "form": form,
        "may_write": may_write,
    }
    return render(
        request, "community/party_detail.html", context, status=form_status(form) if form else 200
    )
