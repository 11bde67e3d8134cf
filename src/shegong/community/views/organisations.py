"""Community organisations (社区组织) incubated by the station."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from shegong.community import filtersets, forms, selectors, services
from shegong.community.models import CommunityOrganisation
from shegong.community.views._common import (
    PAGE_SIZE,
    filtered,
    form_status,
    keeps_station_records,
    station_create_page,
)
from shegong.core.access import get_visible_or_404, require
from shegong.core.forms import apply_service, bootstrap
from shegong.core.lists import Paginator
from shegong.core.scope import CHANGE, may_create


@login_required
def organisation_list(request):
    user = request.user
    filterset, organisations = filtered(
        filtersets.CommunityOrganisationFilterSet,
        request,
        selectors.community_organisations_visible_to(user),
    )
    page = Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "filter_fields": [filterset.form[n] for n in ("q", "status")],
        "can_write": may_create(user, CommunityOrganisation),
        "many_stations": not keeps_station_records(user),
        "user_station_id": user.station_id,
    }
    return render(request, "community/organisation_list.html", context)


@login_required
def organisation_create(request):
    return station_create_page(
        request,
        CommunityOrganisation,
        forms.CommunityOrganisationForm,
        services.community_organisation_create,
        success=_("Community organisation registered."),
        title=_("Register a community organisation"),
        next_url=lambda _organisation: reverse("community:organisation-list"),
    )


@login_required
def organisation_edit(request, pk: int):
    user = request.user
    organisation = get_visible_or_404(CommunityOrganisation, user, pk=pk)
    require(user, CHANGE, organisation)
    initial = {
        name: getattr(organisation, name) for name in forms.CommunityOrganisationForm.base_fields
    }
    form = bootstrap(forms.CommunityOrganisationForm(request.POST or None, initial=initial))
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if v != initial[k]}
        if apply_service(
            form,
            lambda: services.community_organisation_update(
                actor=user, organisation=organisation, **changes
            ),
        ):
            messages.success(request, _("Saved."))
            return redirect("community:organisation-list")
    context = {"form": form, "title": organisation.name}
    return render(request, "community/simple_form.html", context, status=form_status(form))
