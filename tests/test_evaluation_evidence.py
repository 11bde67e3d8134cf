"""Evidence uploads: allowed types checked by extension and content, size limit,
download only as an attachment with a safe content type, scope."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from shegong.evaluation import uploads
from tests.conftest import shared
from tests.evaluation_world import english_messages, make_scored_round

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(autouse=True)
def english(settings):
    english_messages(settings)


def pdf(name: str = "现场照片.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def html_as_pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile(
        "report.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf"
    )


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


sr = shared(make_scored_round)


def _upload(api, sr, person, upload):
    sheet = sr.sheet(sr.world.station_a)
    return api(sr.world[person]).post(
        f"/api/station-evaluations/{sheet.pk}/evidence/",
        {"indicator": sr.indicators["I1"].pk, "file": upload},
        format="multipart",
    )


def test_pdf_and_image_are_accepted(sr, api):
    assert _upload(api, sr, "evaluator", pdf()).status_code == 201
    image = SimpleUploadedFile("活动.png", PNG, content_type="image/png")
    response = _upload(api, sr, "evaluator", image)
    assert response.status_code == 201
    assert (response.json()["original_name"], response.json()["content_type"]) == (
        "活动.png",
        "image/png",
    )


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("page.html", b"<html></html>", content_type="text/html"),
            "Only PDF, image (PNG, JPEG, GIF, WebP) or office documents are accepted.",
        ),
        (html_as_pdf(), "The file's content does not match its type (.pdf)."),
        (
            SimpleUploadedFile("photo.png", PDF, content_type="image/png"),
            "The file's content does not match its type (.png).",
        ),
        (
            SimpleUploadedFile("a.svg", b"<svg onload=alert(1)>", content_type="image/svg+xml"),
            "Only PDF, image (PNG, JPEG, GIF, WebP) or office documents are accepted.",
        ),
    ],
    ids=["html", "html-renamed-pdf", "pdf-renamed-png", "svg"],
)
def test_wrong_types_are_refused(sr, api, upload, message):
    with translation.override("en"):
        response = _upload(api, sr, "evaluator", upload)
    assert response.status_code == 400
    assert response.json() == {"file": [message]}


def test_size_limit(sr, api, monkeypatch):
    monkeypatch.setattr(uploads, "MAX_EVIDENCE_BYTES", 100)
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * 200, content_type="application/pdf")
    with translation.override("en"):
        response = _upload(api, sr, "evaluator", big)
    assert response.status_code == 400
    assert response.json() == {"file": ["The file is larger than 0 MB."]}


def test_download_is_an_attachment_with_a_safe_type(sr, api, login):
    evidence = _upload(api, sr, "evaluator", pdf()).json()
    response = login(sr.world["evaluator"]).get(f"/evaluation/evidence/{evidence['id']}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF
    # An evaluator of other stations, a worker and an outsider get 404.
    for person in ("evaluator_2", "worker", "director_b"):
        assert (
            login(sr.world[person]).get(f"/evaluation/evidence/{evidence['id']}/").status_code
            == 404
        )


def test_uploads_are_refused_once_submitted(sr, api):
    from tests.evaluation_world import score_all

    score_all(sr, api)
    with translation.override("en"):
        response = _upload(api, sr, "evaluator", pdf())
    assert response.status_code == 400
    assert response.json() == {"detail": ["This station's scores were submitted and are locked."]}
