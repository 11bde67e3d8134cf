"""Printable PDF documents (case files, inspections, evaluation results, the
survey poster) rendered from HTML templates by WeasyPrint with Debian's Noto CJK
fonts. Nothing is fetched while rendering: only `data:` URIs are followed, so a
document cannot reach the network or read files beside it."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone


def render_pdf(template: str, context: dict[str, Any], request=None) -> bytes:
    """The PDF bytes of `template`, which extends core/pdf_base.html, styled by
    core/static/core/pdf.css (a file, like every page's styles under the CSP)."""
    from django.contrib.staticfiles import finders
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    from shegong.core import audit

    actor, label, _ip = audit.current_actor()
    context = {
        **context,
        "watermark_lines": range(8),
        "generated_at": timezone.localtime(),
        "generated_by": str(actor) if actor is not None else label,
    }
    html = render_to_string(template, context, request=request)
    # Inline images only: no http(s), no file: (the server's own files).
    offline = URLFetcher(allowed_protocols={"data"}, allow_redirects=False)
    stylesheet = CSS(filename=finders.find("core/pdf.css"), url_fetcher=offline)
    return HTML(string=html, url_fetcher=offline).write_pdf(stylesheets=[stylesheet])


def pdf_response(request, template: str, context: dict[str, Any], filename: str, title: str):
    """The document as an inline PDF; taking it out of the system is audited like
    every export (who, when, which file)."""
    from shegong.core import audit

    pdf = render_pdf(template, {**context, "title": title}, request=request)
    audit.record("export", object_repr=filename, detail={"title": str(title)})
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
