"""Web pages of the excellent-case library 优秀案例: the library every member of
staff reads (published entries, filtered by domain, year and keyword), the
director's nomination form on a closed case, and the city officers' review
queue. No page shows an entry's source case, client or staff: only the
station's name."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shegong.cases import forms, library, selectors
from shegong.cases.filtersets import LibraryCaseFilterSet
from shegong.cases.models import LIBRARY_REVIEW, LibraryCase, LibraryStatus
from shegong.core.access import get_visible_or_404, require, require_at
from shegong.core.forms import apply_service, bootstrap
from shegong.core.lists import Paginator
from shegong.core.scope import CHANGE, CREATE, actions_for, may

PAGE_SIZE = 20


def _status(form) -> int:
    return 400 if form.is_bound and form.errors else 200


@login_required
def library_list(request):
    """The published excellent cases, newest first."""
    user = request.user
    published = selectors.library_published(user)
    filterset = LibraryCaseFilterSet(request.GET or None, queryset=published, request=request)
    del filterset.form.fields["status"]
    bootstrap(filterset.form)
    entries = filterset.qs if filterset.is_bound and filterset.is_valid() else published
    if filterset.is_bound and not filterset.is_valid():
        entries = published.none()
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "filter_form": filterset.form,
        "years": selectors.library_years(user),
        # The nominating director's own entries; the reviewers' queue.
        "own": selectors.library_own_station(user) if may(user, CREATE, LibraryCase) else None,
        "queue_count": selectors.library_queue(user).count()
        if may(user, LIBRARY_REVIEW, LibraryCase)
        else None,
    }
    return render(request, "cases/library_list.html", context)


@login_required
def library_queue(request):
    """The city officers' queue of nominations waiting for review."""
    user = request.user
    require_at(user, LIBRARY_REVIEW, LibraryCase, None, message=library.review_refused())
    entries = selectors.library_queue(user)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "cases/library_queue.html", {"page": page})


def _detail(request, entry, return_form=None, status=200):
    acts = actions_for(request.user, entry)
    context = {
        "entry": entry,
        "may_edit": CHANGE in acts and entry.is_editable,
        "may_review": LIBRARY_REVIEW in acts and entry.status == LibraryStatus.NOMINATED,
        "return_form": return_form
        or bootstrap(forms.LibraryReturnForm(initial={"version": entry.version})),
        "sections": [
            (_("Background"), entry.background),
            (_("Assessment"), entry.assessment),
            (_("Intervention"), entry.intervention),
            (_("Outcome"), entry.outcome),
            (_("Reflection"), entry.reflection),
        ],
    }
    return render(request, "cases/library_detail.html", context, status=status)


@login_required
def library_detail(request, pk: int):
    user = request.user
    entry = get_visible_or_404(selectors.library_visible_to(user), user, pk=pk)
    return _detail(request, entry)


@login_required
def library_nominate(request, pk: int):
    """The director writes up a closed case of the station for the library."""
    user = request.user
    case = get_visible_or_404(selectors.cases_visible_to(user), user, pk=pk)
    require_at(user, CREATE, LibraryCase, case.station, message=library.nominate_refused())
    existing = LibraryCase.objects.filter(case=case).first()
    if existing is not None:
        return redirect("cases:library-detail", pk=existing.pk)
    form = bootstrap(forms.LibraryCaseForm(request.POST or None, initial={"domain": case.domain}))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("version", None)
        submit = "draft" not in request.POST
        entry = apply_service(
            form,
            lambda: library.library_case_create(actor=user, case=case, submit=submit, **data),
        )
        if entry is not None:
            messages.success(
                request, _("Nominated for the library.") if submit else _("Draft saved.")
            )
            return redirect("cases:library-detail", pk=entry.pk)
    context = {"form": form, "case": case, "is_closed": case.status == "closed"}
    return render(request, "cases/library_form.html", context, status=_status(form))


@login_required
def library_edit(request, pk: int):
    user = request.user
    entry = get_visible_or_404(selectors.library_visible_to(user), user, pk=pk)
    require(user, CHANGE, entry, message=library.nominate_refused())
    initial = {name: getattr(entry, name) for name in library.WRITE_UP_FIELDS}
    form = bootstrap(
        forms.LibraryCaseForm(request.POST or None, initial={**initial, "version": entry.version})
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")

        def save():
            saved = library.library_case_update(actor=user, entry=entry, version=version, **data)
            if "draft" not in request.POST:
                saved = library.library_case_submit(actor=user, entry=saved)
            return saved

        if apply_service(form, save) is not None:
            messages.success(request, _("Saved."))
            return redirect("cases:library-detail", pk=entry.pk)
    context = {"form": form, "entry": entry, "is_closed": True}
    return render(request, "cases/library_form.html", context, status=_status(form))


@login_required
@require_POST
def library_publish(request, pk: int):
    user = request.user
    entry = get_visible_or_404(selectors.library_visible_to(user), user, pk=pk)
    require(user, LIBRARY_REVIEW, entry)
    form = forms.LibraryReturnForm(request.POST)
    form.is_valid()
    done = apply_service(
        form,
        lambda: library.library_case_publish(
            actor=user, entry=entry, version=form.cleaned_data.get("version")
        ),
    )
    if done is not None:
        messages.success(request, _("Published in the library."))
        return redirect("cases:library-detail", pk=entry.pk)
    messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return _detail(request, entry, status=400)


@login_required
@require_POST
def library_return(request, pk: int):
    user = request.user
    entry = get_visible_or_404(selectors.library_visible_to(user), user, pk=pk)
    require(user, LIBRARY_REVIEW, entry)
    form = bootstrap(forms.LibraryReturnForm(request.POST))
    if form.is_valid() and apply_service(
        form,
        lambda: library.library_case_return(
            actor=user,
            entry=entry,
            comment=form.cleaned_data["comment"],
            version=form.cleaned_data.get("version"),
        ),
    ):
        messages.success(request, _("Returned to the station."))
        return redirect("cases:library-queue")
    return _detail(request, entry, return_form=form, status=400)
