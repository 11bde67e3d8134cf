"""Web pages of a case's documents 文件附件: attach (on the case page or the
resident's), download
(an attachment, access-logged), delete (the uploader or the director)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shegong.cases import documents, forms, views
from shegong.cases.models import DELETE_DOCUMENT
from shegong.cases.services import WORK_REFUSED
from shegong.clients import views as client_views
from shegong.clients.models import Resident
from shegong.core.access import get_visible_or_404, require
from shegong.core.documents import attachment
from shegong.core.forms import apply_service, bootstrap
from shegong.core.http import client_ip


@login_required
@require_POST
def document_add(request, pk: int):
    user = request.user
    case = get_visible_or_404(views.case_queryset(user), user, pk=pk)
    views.require_work(user, case)
    form = bootstrap(forms.DocumentForm(request.POST, request.FILES, prefix="document"))
    if form.is_valid() and apply_service(
        form, lambda: documents.document_add(actor=user, case=case, **form.cleaned_data)
    ):
        messages.success(request, _("The document was attached."))
        return redirect("cases:case-detail", pk=case.pk)
    return views.render_case(request, case, status=400, document_form=form)


@login_required
@require_POST
def resident_document_add(request, resident_pk: int):
    """Attach from the resident's page, to one of their cases the user works on
    (a case that is not among them is refused by the form: 400)."""
    user = request.user
    resident = get_visible_or_404(Resident.objects.all(), user, pk=resident_pk)
    attach_to = documents.cases_to_attach_to(user, resident)
    if resident.is_merged or not attach_to.exists():
        raise PermissionDenied(str(WORK_REFUSED))
    form = bootstrap(
        forms.ResidentDocumentForm(request.POST, request.FILES, prefix="document", cases=attach_to)
    )
    if form.is_valid() and apply_service(
        form, lambda: documents.document_add(actor=user, **form.cleaned_data)
    ):
        messages.success(request, _("The document was attached."))
        return redirect("clients:resident-detail", pk=resident.pk)
    return client_views.render_resident(request, resident, status=400, document_form=form)


@login_required
def document_download(request, pk: int):
    """404 for whoever may not read the case's content, as for a missing file."""
    user = request.user
    document = get_visible_or_404(documents.documents_visible_to(user), user, pk=pk)
    handle = documents.document_open(user=user, document=document, ip=client_ip(request))
    return attachment(handle, document.original_name, document.content_type)


@login_required
@require_POST
def document_delete(request, pk: int):
    user = request.user
    document = get_visible_or_404(documents.documents_visible_to(user), user, pk=pk)
    require(user, DELETE_DOCUMENT, document)
    case_pk = document.case_id
    documents.document_delete(actor=user, document=document)
    messages.success(request, _("The document was deleted."))
    return redirect("cases:case-detail", pk=case_pk)
