"""What the pages of the programmes share: the simple "register a new …" page,
the filtered list and the form's status."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render

from shegong.community.models import Volunteer
from shegong.core.access import require_at
from shegong.core.forms import apply_service, bootstrap
from shegong.core.scope import CREATE, can_at

PAGE_SIZE = 25


def station_create_page(request, model, form_class, create, *, success, title, next_url):
    """A simple "register a new …" page at the user's own station: the form, the
    service that creates the record, and where to go afterwards. The model's
    scope decides who may create (the station's own staff; officials read)."""
    user = request.user
    require_at(user, CREATE, model, None)
    form = bootstrap(form_class(request.POST or None))
    if request.method == "POST" and form.is_valid():
        created = apply_service(
            form, lambda: create(actor=user, station=user.station, **form.cleaned_data)
        )
        if created is not None:
            messages.success(request, success)
            return redirect(next_url(created))
    context = {"form": form, "title": title}
    return render(request, "community/simple_form.html", context, status=form_status(form))


def filtered(filterset_class, request, queryset):
    """The queryset filtered by every valid filter of the request (an invalid
    filter shows on the form and filters nothing)."""
    filterset = filterset_class(request.GET or None, queryset=queryset, request=request)
    bootstrap(filterset.form)
    if filterset.is_bound and filterset.is_valid():
        return filterset, filterset.qs
    return filterset, queryset if not filterset.is_bound else queryset.none()


def form_status(form) -> int:
    return 400 if form.is_bound and form.errors else 200


def keeps_station_records(user) -> bool:
    """Whether the user keeps their own station's programme records (its staff,
    by the programmes' scope): their pages show that station's figures, and
    lists need no station column."""
    return user.station_id is not None and can_at(user, CREATE, Volunteer, user.station)
