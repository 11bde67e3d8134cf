"""Spreadsheet and CSV exports. Rows are streamed, never held in memory whole,
and every text cell is neutralised against formula injection."""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import FileResponse, Http404, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook

FORMATS = ("xlsx", "csv")
# A cell starting with one of these is read as a formula by Excel/WPS/LibreOffice.
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Make a text cell inert: a leading formula character gets a quote prefix."""
    if isinstance(value, str) and value.startswith(_FORMULA_PREFIXES):
        return "'" + value
    return value


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_stream(headers: Sequence[str], rows: Iterable[Sequence[Any]]):
    writer = csv.writer(_Echo())
    # A BOM so that Excel opens UTF-8 Chinese text correctly.
    yield "\ufeff" + writer.writerow([neutralise(h) for h in headers])
    for row in rows:
        yield writer.writerow([neutralise(v) for v in row])


def tabular_response(
    fmt: str, basename: str, title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]
):
    stamp = timezone.localdate().isoformat()
    filename = f"{basename}-{stamp}.{fmt}"
    if fmt in FORMATS:
        # Every export of data leaves a trace (who, when, which file).
        from shegong.core import audit

        audit.record("export", object_repr=filename, detail={"title": str(title)})
    if fmt == "csv":
        response = StreamingHttpResponse(
            _csv_stream(headers, rows), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    if fmt == "xlsx":
        # write_only keeps memory flat; the workbook is spooled to disk, not RAM.
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=title[:31])
        sheet.append([neutralise(h) for h in headers])
        for row in rows:
            sheet.append([neutralise(v) for v in row])
        spool = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
        workbook.save(spool)
        spool.seek(0)
        return FileResponse(
            spool,
            as_attachment=True,
            filename=filename,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    raise Http404("unknown export format")
