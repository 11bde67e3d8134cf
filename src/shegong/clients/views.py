"""Web pages for residents (居民) and clients (服务对象)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max, OuterRef, Q, Subquery
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shegong.cases import documents as case_documents
from shegong.cases.forms import ObservationForm, ResidentDocumentForm
from shegong.cases.models import Case
from shegong.cases.selectors import observations_of
from shegong.cases.services import observation_record
from shegong.clients import documents, forms, identity, pinyin, services
from shegong.clients.models import (
    DELETE_RESIDENT_DOCUMENT,
    ClientStatus,
    Resident,
    ResidentTag,
)
from shegong.core.access import get_visible_or_404, require, require_at
from shegong.core.documents import DocumentForm, attachment
from shegong.core.forms import add_errors, apply_service, bootstrap
from shegong.core.http import client_ip
from shegong.core.lists import Paginator
from shegong.core.scope import CHANGE, CREATE, can, may
from shegong.org.models import ServicePoint

PAGE_SIZE = 25


def _residents(user):
    return Resident.objects.visible_to(user).filter(merged_into__isnull=True)


# The resident list's orders: by the name's pinyin (the stored key, indexed) or by
# the last service attended, most recent first (never served last).
RESIDENT_ORDERS = {
    "pinyin": ("name_pinyin", "pk"),
    "contact": (F("last_contact").desc(nulls_last=True), "name_pinyin", "pk"),
}


@login_required
def resident_list(request):
    """居民档案: search by name (characters or pinyin), phone or full ID number;
    sorted by pinyin or by last contact."""
    query = request.GET.get("q", "").strip()[:50]
    sort = request.GET.get("sort", "pinyin")
    if sort not in RESIDENT_ORDERS:
        sort = "pinyin"
    # The last service the resident attended (an activity, a session, a visit):
    # a subquery per listed row through the attendance's (resident, event) index,
    # not an aggregate over the whole station on every page.
    last_contact = Subquery(
        Resident._base_manager.filter(pk=OuterRef("pk"))
        .values("pk")
        .annotate(last=Max("attendances__event__held_on"))
        .values("last")[:1]
    )
    residents = (
        _residents(request.user)
        .annotate(last_contact=last_contact)
        .order_by(*RESIDENT_ORDERS[sort])
    )
    # 社工点: the points in the user's view; an unknown or hidden one filters to none.
    points = ServicePoint.objects.visible_to(request.user).order_by("station__code", "code")
    point = request.GET.get("point", "")
    if point:
        residents = residents.filter(point__in=points.filter(pk=point if point.isdigit() else 0))
    if query:
        condition = pinyin.name_search(query) | Q(phone__startswith=query)
        number = identity.normalise_id_number(query)
        if len(number) == 18:
            condition |= Q(id_number_hash__in=identity.lookup_hashes(number))
        residents = residents.filter(condition)
    page = Paginator(residents, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "query": query, "sort": sort, "points": points, "point": point}
    return render(request, "clients/resident_list.html", context)


@login_required
def resident_register(request):
    """登记居民: search-before-create, with the consent taken at registration."""
    # Officials read; the form is for the station's own staff (as for the other
    # create pages), not a form that fails only when sent.
    station = request.user.station
    require_at(request.user, CREATE, Resident, station, services.staff_only())
    if request.method != "POST":
        context = {"form": forms.blank_registration(station), "matches": [], "same_id": False}
        return render(request, "clients/resident_register.html", context)
    form = bootstrap(forms.RegistrationForm(request.POST, station=station))
    matches, same_id = [], False
    if form.is_valid():
        data = form.cleaned_data
        try:
            resident = _register(request.user, data, request.POST.get("allow_similar") == "on")
        except services.DuplicateResident as duplicate:
            matches = duplicate.matches
            number = identity.normalise_id_number(data["id_number"])
            same_id = bool(number) and any(
                m.id_number_hash in identity.lookup_hashes(number) for m in matches
            )
            form.add_error(None, duplicate.messages)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Resident registered."))
            return redirect("clients:resident-detail", pk=resident.pk)
    context = {"form": form, "matches": matches, "same_id": same_id}
    return render(request, "clients/resident_register.html", context)


def _register(user, data, allow_similar: bool):
    # Resident and consent are one write: no resident without its consent record.
    with transaction.atomic():
        resident = services.resident_register(
            actor=user,
            station=user.station,
            name=data["name"],
            gender=data["gender"],
            birth_date=data["birth_date"],
            id_number=data["id_number"],
            phone=data["phone"],
            address=data["address"],
            household_role=data["household_role"],
            community=data["community"],
            point=data["point"],
            allow_similar=allow_similar,
        )
        services.consent_record(
            actor=user,
            resident=resident,
            recorded_on=data["consent_date"],
            lawful_basis=data["lawful_basis"],
            covers_referral_sharing=data["covers_referral_sharing"],
            given_by=data["given_by"],
            guardian_name=data["guardian_name"],
            guardian_relation=data["guardian_relation"],
        )
    return resident


@login_required
def resident_detail(request, pk: int):
    resident = get_visible_or_404(
        Resident.objects.select_related("household", "station", "community", "point"),
        request.user,
        pk=pk,
    )
    return render_resident(request, resident)


def render_resident(
    request,
    resident: Resident,
    *,
    status: int = 200,
    document_form=None,
    resident_document_form=None,
):
    """The resident's page; `document_form` (a case's document) or
    `resident_document_form` (the resident's own) is a bound form refused (400)."""
    attach_to = case_documents.cases_to_attach_to(request.user, resident)
    if document_form is None and not resident.is_merged and attach_to.exists():
        document_form = bootstrap(ResidentDocumentForm(prefix="document", cases=attach_to))
    if resident_document_form is None and documents.may_upload(request.user, resident):
        resident_document_form = bootstrap(DocumentForm(prefix=RESIDENT_DOCUMENT_PREFIX))
    own_documents = documents.resident_documents_of(request.user, resident)
    today = timezone.localdate()
    consents = list(resident.consents.visible_to(request.user))
    context = {
        "resident": resident,
        "statuses": ClientStatus.objects.visible_to(request.user).filter(resident=resident),
        "tags": ResidentTag.objects.visible_to(request.user).filter(resident=resident),
        "consents": consents,
        "consent_state": services.consent_state(resident, today, consents),
        "withdraw_form": bootstrap(forms.ConsentWithdrawForm(prefix="withdraw")),
        "cases": resident.cases.visible_to(request.user).prefetch_related("workers"),
        "observations": observations_of(request.user, resident)[:20],
        # The documents of their cases, for the readers of each case's content.
        "documents": case_documents.resident_documents(request.user, resident),
        "document_form": document_form,
        # Their own documents (no case), for the staff of their station.
        "own_documents": [(d, documents.may_delete(request.user, d)) for d in own_documents],
        "resident_document_form": resident_document_form,
        "is_priority": services.is_priority_client(resident, today),
        # Superusers read the record but do not work on it: no forms for them.
        "may_change": can(request.user, CHANGE, resident),
        "may_open_case": may(request.user, CREATE, Case),
        "consent_form": bootstrap(forms.ConsentForm(prefix="consent")),
        "classify_form": bootstrap(forms.ClassifyForm(prefix="classify")),
        "tag_form": bootstrap(forms.TagForm(prefix="tag")),
        "observation_form": bootstrap(ObservationForm(prefix="obs")),
        "merge_form": bootstrap(forms.MergeForm(prefix="merge")),
        "household_form": bootstrap(
            forms.HouseholdForm(prefix="household", station=resident.station)
        ),
        "household_members": (
            Resident.objects.visible_to(request.user)
            .filter(household_id=resident.household_id, merged_into__isnull=True)
            .exclude(pk=resident.pk)
            if resident.household_id
            else Resident.objects.none()
        ),
    }
    return render(request, "clients/resident_detail.html", context, status=status)


@login_required
def resident_edit(request, pk: int):
    resident = get_visible_or_404(Resident, request.user, pk=pk)
    # Readers who may not edit (officials, superusers) get 403 before the form.
    require(request.user, CHANGE, resident)
    initial = {
        "name": resident.name,
        "gender": resident.gender,
        "birth_date": resident.birth_date,
        "phone": resident.phone,
        "address": resident.address,
        "household_role": resident.household_role,
        "community": resident.community_id,
        "point": resident.point_id,
        "version": resident.version,
    }
    form = bootstrap(
        forms.ResidentEditForm(request.POST or None, initial=initial, station=resident.station)
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        if not data["id_number"]:
            data.pop("id_number")  # blank keeps the stored number
        updated = apply_service(
            form,
            lambda: services.resident_update(
                actor=request.user, resident=resident, version=version, **data
            ),
        )
        if updated is not None:
            messages.success(request, _("Saved."))
            return redirect("clients:resident-detail", pk=resident.pk)
    return render(request, "clients/resident_edit.html", {"form": form, "resident": resident})


@login_required
@require_POST
def resident_reveal_id(request, pk: int):
    resident = get_visible_or_404(Resident, request.user, pk=pk)
    number = services.resident_reveal_id_number(
        actor=request.user, resident=resident, ip=client_ip(request)
    )
    return HttpResponse(format_html('<span class="font-monospace">{}</span>', number))


def _detail_post(
    request, pk: int, form_class, prefix: str, call, success: str, action: str = CHANGE
):
    """Handle one of the small forms on the resident page: 403 for a reader who
    may not perform `action` on the resident's record, before the form is read."""
    resident = get_visible_or_404(Resident, request.user, pk=pk)
    require(request.user, action, resident)
    form = form_class(request.POST, prefix=prefix)
    if form.is_valid() and apply_service(form, lambda: call(resident, form.cleaned_data)):
        messages.success(request, success)
    else:
        errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
        messages.error(request, " ".join(errors) or _("Please check the form."))
    return redirect("clients:resident-detail", pk=resident.pk)


@login_required
@require_POST
def consent_add(request, pk: int):
    return _detail_post(
        request,
        pk,
        forms.ConsentForm,
        "consent",
        lambda r, d: services.consent_record(actor=request.user, resident=r, **d),
        _("Consent recorded."),
    )


@login_required
@require_POST
def consent_withdraw(request, pk: int, consent: int):
    resident = get_visible_or_404(Resident, request.user, pk=pk)
    item = get_visible_or_404(resident.consents.all(), request.user, pk=consent)
    require(request.user, CHANGE, item)
    form = forms.ConsentWithdrawForm(request.POST, prefix="withdraw")
    done = form.is_valid() and apply_service(
        form,
        lambda: services.consent_withdraw(
            actor=request.user, consent=item, withdrawn_on=form.cleaned_data["withdrawn_on"]
        ),
    )
    if done:
        messages.success(request, _("Consent withdrawn: nothing is shared from that day on."))
    else:
        errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
        messages.error(request, " ".join(errors) or _("Please check the form."))
    return redirect("clients:resident-detail", pk=resident.pk)


@login_required
@require_POST
def classify(request, pk: int):
    return _detail_post(
        request,
        pk,
        forms.ClassifyForm,
        "classify",
        lambda r, d: services.client_classify(actor=request.user, resident=r, **d),
        _("Classification saved."),
    )


@login_required
@require_POST
def tag_add(request, pk: int):
    return _detail_post(
        request,
        pk,
        forms.TagForm,
        "tag",
        lambda r, d: services.tag_add(actor=request.user, resident=r, **d),
        _("Tag added."),
    )


@login_required
@require_POST
def observation_add(request, pk: int):
    return _detail_post(
        request,
        pk,
        ObservationForm,
        "obs",
        lambda r, d: observation_record(actor=request.user, resident=r, **d),
        _("Observation recorded."),
    )


@login_required
@require_POST
def merge(request, pk: int):
    def call(keep, data):
        duplicate = get_visible_or_404(Resident, request.user, pk=data["duplicate"])
        return services.resident_merge(actor=request.user, keep=keep, duplicate=duplicate)

    return _detail_post(
        request, pk, forms.MergeForm, "merge", call, _("Records merged."), action="merge"
    )


@login_required
@require_POST
def household_link(request, pk: int):
    """家庭: put the resident in an existing household of the station or a new one."""
    resident = get_visible_or_404(Resident, request.user, pk=pk)
    require(request.user, CHANGE, resident)
    form = forms.HouseholdForm(request.POST, prefix="household", station=resident.station)

    def link():
        with transaction.atomic():
            household = form.cleaned_data["household"] or services.household_create(
                actor=request.user,
                station=resident.station,
                name=form.cleaned_data["new_household"],
                address=resident.address,
            )
            return services.resident_update(
                actor=request.user,
                resident=resident,
                version=resident.version,
                household=household,
                household_role=form.cleaned_data["household_role"],
            )

    if form.is_valid() and apply_service(form, link):
        messages.success(request, _("Household saved."))
    else:
        errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
        messages.error(request, " ".join(errors) or _("Please check the form."))
    return redirect("clients:resident-detail", pk=resident.pk)


RESIDENT_DOCUMENT_PREFIX = "resident_document"


@login_required
@require_POST
def resident_document_upload(request, pk: int):
    """File a document with the resident (no case): the staff of their station;
    404 for anyone who does not read the resident, 403 for a reader who may not."""
    user = request.user
    resident = get_visible_or_404(Resident, user, pk=pk)
    if not documents.may_upload(user, resident):
        raise PermissionDenied(services.staff_only())
    form = bootstrap(DocumentForm(request.POST, request.FILES, prefix=RESIDENT_DOCUMENT_PREFIX))
    if form.is_valid() and apply_service(
        form,
        lambda: documents.resident_document_upload(
            actor=user, resident=resident, **form.cleaned_data
        ),
    ):
        messages.success(request, _("The document was attached."))
        return redirect("clients:resident-detail", pk=resident.pk)
    return render_resident(request, resident, status=400, resident_document_form=form)


@login_required
def resident_document_download(request, pk: int, document: int):
    """Sent as an attachment and access-logged; 404 for whoever may not read it,
    as for a missing file."""
    user = request.user
    item = get_visible_or_404(
        documents.resident_documents_visible_to(user), user, pk=document, resident_id=pk
    )
    handle = documents.resident_document_open(user=user, document=item, ip=client_ip(request))
    return attachment(handle, item.original_name, item.content_type)


@login_required
@require_POST
def resident_document_delete(request, pk: int, document: int):
    user = request.user
    item = get_visible_or_404(
        documents.resident_documents_visible_to(user), user, pk=document, resident_id=pk
    )
    require(user, DELETE_RESIDENT_DOCUMENT, item)
    documents.resident_document_delete(actor=user, document=item)
    messages.success(request, _("The document was deleted."))
    return redirect("clients:resident-detail", pk=pk)
