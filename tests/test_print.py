"""Paper: the printable PDFs (case file, inspection, evaluation sheet, survey
poster) read back with pdftotext, who may have them, and their traces.

Without pdftotext (Debian's poppler-utils) the tests that read a PDF's text skip,
except where SHEGONG_REQUIRE_PDFTOTEXT=1 (CI, .ci/run), where they fail instead."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from shegong.cases import services as case_services
from shegong.core.models import AccessLog, AuditEntry
from shegong.evaluation import inspections
from tests.helpers import day, open_case, register_resident

NEEDS = "独居，行动不便，需要日常照顾与情绪支持。"


def require_pdftotext() -> str:
    """pdftotext's path; else skip the test, or fail it where CI requires the tool."""
    path = shutil.which("pdftotext")
    if path is None:
        message = "pdftotext not found: install Debian's poppler-utils to read the PDFs back."
        if os.environ.get("SHEGONG_REQUIRE_PDFTOTEXT") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return path


def pdf_text(response) -> str:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    done = subprocess.run(  # noqa: S603 (Debian's poppler-utils, on the test's own PDF)
        [require_pdftotext(), "-layout", "-", "-"],
        input=response.content,
        capture_output=True,
        check=True,
    )
    return done.stdout.decode()


@pytest.fixture
def case(world):
    client = register_resident(world, "陈秀英", classify="family", priority=True)
    case = open_case(world, client)
    case_services.case_assess(
        actor=world["worker"], case=case, assessed_on=day(0), needs=NEEDS, risk_level="high"
    )
    return case


def test_the_case_pdf_holds_the_case_content_in_chinese(world, login, case):
    text = pdf_text(
        login(world["worker"]).post(f"/privacy/cases/{case.pk}/pdf/", {"reason": "存档打印"})
    )
    assert f"个案 {case.number} · 陈秀英" in text
    assert NEEDS in " ".join(text.split())
    assert "沙园街社工站" in text
    assert "预估" in text


def test_the_case_pdf_is_logged_and_audited(world, login, case):
    before = AccessLog.objects.filter(action=AccessLog.Action.READ_CASE_FILE).count()
    login(world["director"]).post(f"/privacy/cases/{case.pk}/pdf/", {"reason": "存档打印"})
    assert AccessLog.objects.filter(action=AccessLog.Action.READ_CASE_FILE).count() == before + 1
    export = AuditEntry.objects.filter(action="export").latest("pk")
    assert export.object_repr == f"case-{case.number}.pdf"
    assert export.user == world["director"]


def test_a_reader_who_may_not_read_the_content_gets_404(world, login, case):
    # The city officer sees the case exists, not its story: no paper either.
    assert login(world["city"]).get(f"/cases/{case.pk}/").status_code == 200
    assert login(world["city"]).get(f"/privacy/cases/{case.pk}/pdf/").status_code == 404
    assert login(world["worker_c"]).get(f"/privacy/cases/{case.pk}/pdf/").status_code == 404


def test_the_inspection_pdf_lists_findings_and_rectifications(world, login):
    inspection = inspections.inspection_record(
        actor=world["district"],
        station=world.station_a,
        visited_on=day(-3),
        findings="档案柜未上锁。",
        checks={},
    )
    inspections.rectification_add(
        actor=world["district"],
        inspection=inspection,
        description="个案档案柜加锁并登记钥匙。",
        owner=world["director"],
        due_on=day(10),
    )
    text = pdf_text(login(world["director"]).get(f"/evaluation/inspections/{inspection.pk}/pdf/"))
    assert "监督检查 · 沙园街社工站" in text
    assert "档案柜未上锁。" in text
    assert "个案档案柜加锁并登记钥匙。" in text


def test_the_case_page_offers_the_pdf_only_to_content_readers(world, login, case):
    assert (
        'data-testid="case-pdf"'
        in login(world["worker"]).get(f"/cases/{case.pk}/").content.decode()
    )
    assert (
        'data-testid="case-pdf"'
        not in login(world["city"]).get(f"/cases/{case.pk}/").content.decode()
    )


def test_the_print_stylesheet_hides_the_menu_and_forms():
    from django.contrib.staticfiles import finders

    with open(finders.find("core/app.css"), encoding="utf-8") as f:
        css = f.read()
    print_rules = css[css.index("@media print") :]
    assert "nav.navbar" in print_rules
    assert "form" in print_rules


def test_a_missing_pdftotext_skips_here_and_fails_where_ci_requires_it(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.delenv("SHEGONG_REQUIRE_PDFTOTEXT", raising=False)
    with pytest.raises(pytest.skip.Exception):
        require_pdftotext()
    monkeypatch.setenv("SHEGONG_REQUIRE_PDFTOTEXT", "1")
    with pytest.raises(pytest.fail.Exception, match="poppler-utils"):
        require_pdftotext()
