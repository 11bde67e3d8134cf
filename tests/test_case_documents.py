"""Documents 文件附件 of a case: type by content and size checked before anything is
stored, stored outside the web root, downloaded only by those who read the
case's content (404 for anyone else) and every download access-logged; deleted
by the uploader or the director, audited; in the resident's data copy and the
retention purge."""

from __future__ import annotations

import datetime
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from shegong.cases import documents
from shegong.cases import services as case_services
from shegong.cases.models import Case, CaseDocument, CaseEvent
from shegong.core.models import AccessLog, AuditEntry
from shegong.privacy.requests import subject_request_open
from tests.conftest import make_user
from tests.helpers import days_ago, open_case, register_resident, today

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
TYPE_REFUSED = "只能上传 PDF、PNG 或 JPEG 文件。"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """The documents' folder (SHEGONG_DOCUMENT_ROOT), apart from MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SHEGONG_DOCUMENT_ROOT = tmp_path / "documents"
    return settings.SHEGONG_DOCUMENT_ROOT


@pytest.fixture
def case(world) -> Case:
    resident = register_resident(world, "何伯", consented=10)
    return open_case(world, resident, domain="elderly", opened_on=days_ago(5))


def _upload(name="同意书.pdf", content=PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def _post(login, user, case, upload, kind="consent_form"):
    return login(user).post(
        f"/cases/{case.pk}/documents/",
        {"document-kind": kind, "document-title": "本人签署", "document-file": upload},
    )


def _stored(media) -> list[str]:
    return sorted(p.name for p in Path(media).rglob("*") if p.is_file())


def test_a_worker_attaches_a_pdf_and_downloads_it_logged(world, case, login, media):
    response = _post(login, world["worker"], case, _upload())
    assert response.status_code == 302 and response.url == f"/cases/{case.pk}/"
    document = CaseDocument.objects.get()
    assert (document.original_name, document.kind, document.content_type, document.size) == (
        "同意书.pdf",
        "consent_form",
        "application/pdf",
        len(PDF),
    )
    # Stored under SHEGONG_DOCUMENT_ROOT with a name of ours, never the
    # uploader's; nothing under MEDIA_ROOT, and no URL.
    path = Path(document.file.path)
    assert path.is_relative_to(media) and path.name == document.stored_name
    assert path.read_bytes() == PDF
    assert not (media.parent / "media").exists()
    with pytest.raises(ValueError):
        document.file.url  # noqa: B018
    assert CaseEvent.objects.filter(case=case, action="document_added").count() == 1
    page = login(world["worker"]).get(f"/cases/{case.pk}/").content.decode()
    assert "同意书.pdf" in page and "知情同意书" in page
    download = login(world["worker"]).get(f"/cases/documents/{document.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    login(world["director"]).get(f"/cases/documents/{document.pk}/")
    logged = AccessLog.objects.filter(action="download_document", object_id=document.pk)
    assert sorted(logged.values_list("user__username", flat=True)) == ["director", "worker"]
    assert logged.first().object_label == f"{case.number} 同意书.pdf"
    # And in the audit log, as a file taken out, without the file's name.
    taken = AuditEntry.objects.filter(object_type="cases.casedocument", action="export")
    assert sorted(taken.values_list("username", flat=True)) == ["director", "worker"]
    assert taken.first().detail == {
        "document": document.pk,
        "case": case.pk,
        "kind": "consent_form",
    }
    assert "同意书" not in str(list(taken.values_list("object_repr", "detail")))


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (_upload("page.html", b"<html></html>"), TYPE_REFUSED),
        (_upload("setup.exe", b"MZ\x90\x00"), TYPE_REFUSED),
        (_upload("报告.docx", b"PK\x03\x04" + b"\x00" * 40), TYPE_REFUSED),
        (
            _upload("报告.pdf", b"<html><script>alert(1)</script></html>"),
            "文件内容与其类型（.pdf）不符。",
        ),
        (_upload("照片.png", JPEG), "文件内容与其类型（.png）不符。"),
        (_upload("照片.jpg", b"MZ\x90\x00" + b"\x00" * 40), "文件内容与其类型（.jpg）不符。"),
        (_upload("空.pdf", b""), "提交的是空文件。"),  # Django's form field's own message
    ],
    ids=["html", "exe", "docx", "html-renamed-pdf", "jpeg-renamed-png", "exe-renamed-jpg", "empty"],
)
def test_a_forbidden_type_is_refused_and_nothing_stored(world, case, login, media, upload, message):
    response = _post(login, world["worker"], case, upload)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert CaseDocument.objects.count() == 0
    assert not CaseEvent.objects.filter(action="document_added").exists()
    assert _stored(media) == []


def test_an_oversize_file_is_refused(world, case, login, media, settings):
    settings.SHEGONG_DOCUMENT_MAX_BYTES = 1024 * 1024
    big = _upload("证明.pdf", PDF + b"0" * (1024 * 1024))
    response = _post(login, world["worker"], case, big, kind="certificate")
    assert response.status_code == 400
    assert "文件超过 1 MB。" in response.content.decode()
    assert CaseDocument.objects.count() == 0 and _stored(media) == []
    # At the limit exactly: accepted.
    exact = _upload("证明.pdf", PDF + b"0" * (1024 * 1024 - len(PDF)))
    assert _post(login, world["worker"], case, exact, kind="certificate").status_code == 302
    assert CaseDocument.objects.get().size == 1024 * 1024


def test_a_jpeg_or_png_photo_of_a_home_visit_is_accepted(world, case, login):
    response = _post(login, world["worker"], case, _upload("探访.jpg", JPEG), "home_visit_photo")
    assert response.status_code == 302
    response = _post(login, world["worker"], case, _upload("探访.PNG", PNG), "home_visit_photo")
    assert response.status_code == 302
    assert list(CaseDocument.objects.order_by("pk").values_list("content_type", flat=True)) == [
        "image/jpeg",
        "image/png",
    ]


@pytest.mark.parametrize(
    ("person", "expected"),
    [
        ("worker2", 404),
        ("admin", 404),
        ("city", 404),
        ("district", 404),
        ("agency", 404),
        ("evaluator", 404),
        ("director_b", 404),
        ("worker_c", 404),
    ],
)
def test_whoever_may_not_read_the_case_content_cannot_download(
    world, case, login, api, person, expected
):
    world.people["worker2"] = make_user("worker2", "social_worker", station=world.station_a)
    document = documents.document_add(
        actor=world["worker"], case=case, kind="certificate", file=_upload()
    )
    assert login(world[person]).get(f"/cases/documents/{document.pk}/").status_code == expected
    answer = api(world[person]).get(f"/api/case-documents/{document.pk}/download/")
    assert answer.status_code == expected
    assert api(world[person]).get("/api/case-documents/").json()["count"] == 0
    assert not AccessLog.objects.filter(action="download_document").exists()
    # Nor attach one to it.
    assert _post(login, world[person], case, _upload()).status_code in (403, 404)
    assert CaseDocument.objects.count() == 1


def test_deleted_by_the_uploader_or_the_director_only_and_audited(
    world, case, login, media, django_capture_on_commit_callbacks
):
    co_worker = make_user("worker2", "social_worker", station=world.station_a)
    case_services.case_assign(
        actor=world["director"], case=case, workers=[world["worker"], co_worker]
    )
    document = documents.document_add(
        actor=world["worker"], case=case, kind="certificate", file=_upload()
    )
    other = documents.document_add(
        actor=world["worker"], case=case, kind="other", file=_upload("b.pdf")
    )
    assert len(_stored(media)) == 2
    # A fellow worker of the case reads it but did not upload it.
    refused = login(co_worker).post(f"/cases/documents/{document.pk}/delete/")
    assert refused.status_code == 403
    outsider = login(world["director_b"]).post(f"/cases/documents/{document.pk}/delete/")
    assert outsider.status_code == 404
    assert CaseDocument.objects.count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        response = login(world["worker"]).post(f"/cases/documents/{document.pk}/delete/")
    assert response.status_code == 302 and response.url == f"/cases/{case.pk}/"
    with django_capture_on_commit_callbacks(execute=True):
        response = login(world["director"]).post(f"/cases/documents/{other.pk}/delete/")
    assert response.status_code == 302
    assert CaseDocument.objects.count() == 0
    assert _stored(media) == []
    deleted = AuditEntry.objects.filter(object_type="cases.casedocument", action="delete")
    assert deleted.count() == 2
    # The uploaded file's name is redacted (the stored random names may end in "b.pdf").
    assert "'b.pdf'" not in str(list(deleted.values_list("object_repr", "changes")))
    assert {e["original_name"] for e in deleted.values_list("changes", flat=True)} == {"changed"}
    assert CaseEvent.objects.filter(case=case, action="document_deleted").count() == 2


def test_the_api_attaches_lists_downloads_and_deletes(world, case, api):
    client = api(world["worker"])
    answer = client.post(
        "/api/case-documents/",
        {"case": case.pk, "kind": "consent_form", "file": _upload("同意书.pdf")},
        format="multipart",
    )
    assert answer.status_code == 201
    body = answer.json()
    assert (body["original_name"], body["content_type"], body["size"]) == (
        "同意书.pdf",
        "application/pdf",
        len(PDF),
    )
    bad = client.post(
        "/api/case-documents/",
        {"case": case.pk, "kind": "consent_form", "file": _upload("a.svg", b"<svg/>")},
        format="multipart",
    )
    assert bad.status_code == 400
    assert bad.json() == {"file": [TYPE_REFUSED]}
    listed = client.get("/api/case-documents/", {"case": case.pk}).json()
    assert [row["id"] for row in listed["results"]] == [body["id"]]
    download = client.get(f"/api/case-documents/{body['id']}/download/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert AccessLog.objects.filter(action="download_document").count() == 1
    assert api(world["director_b"]).delete(f"/api/case-documents/{body['id']}/").status_code == 404
    assert client.delete(f"/api/case-documents/{body['id']}/").status_code == 204
    assert CaseDocument.objects.count() == 0


def test_the_residents_data_copy_lists_their_documents(world, case, login):
    documents.document_add(
        actor=world["worker"], case=case, kind="consent_form", file=_upload("同意书.pdf")
    )
    item = subject_request_open(
        actor=world["worker"],
        resident=case.client,
        kind="access",
        requested_by="本人",
        received_on=datetime.date(2026, 12, 7),
    )
    data = json.loads(
        login(world["director"]).get(f"/privacy/requests/{item.pk}/export.json").content
    )
    rows = data["cases.casedocument"]
    assert [(row["original_name"], row["kind"]) for row in rows] == [("同意书.pdf", "知情同意书")]
    assert "file" not in rows[0] and "stored_name" not in rows[0]
    # Its metadata: name, kind, type, size, date; never the file itself.
    assert (rows[0]["content_type"], rows[0]["size"]) == ("application/pdf", str(len(PDF)))
    assert rows[0]["created_at"].startswith(str(datetime.date.today().year))
    assert PDF.decode() not in json.dumps(data)


def test_the_documents_of_a_case_past_retention_are_purged(
    world, case, media, django_capture_on_commit_callbacks
):
    case_services.case_close(
        actor=world["worker"], case=case, closed_on=today(), outcome="client_withdrew"
    )
    documents.document_add(
        actor=world["worker"], case=case, kind="home_visit_photo", file=_upload("a.jpg", JPEG)
    )
    long_ago = today() - datetime.timedelta(days=11 * 365)
    Case.objects.filter(pk=case.pk).update(opened_on=long_ago, closed_on=long_ago)
    out = StringIO()
    call_command("purge_personal_data", "--dry-run", stdout=out)
    assert "documents 1" in out.getvalue()
    assert CaseDocument.objects.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_personal_data", stdout=StringIO())
    assert CaseDocument.objects.count() == 0
    assert _stored(media) == []


def test_the_resident_page_attaches_to_one_of_their_cases_and_lists_them(world, case, login, media):
    resident = case.client
    page = login(world["worker"]).get(f"/residents/{resident.pk}/").content.decode()
    assert 'data-testid="document-form"' in page and case.number in page
    response = login(world["worker"]).post(
        f"/cases/residents/{resident.pk}/documents/",
        {
            "document-case": case.pk,
            "document-kind": "certificate",
            "document-title": "低保证",
            "document-file": _upload("低保证.jpg", JPEG),
        },
    )
    assert response.status_code == 302 and response.url == f"/residents/{resident.pk}/"
    document = CaseDocument.objects.get()
    assert (document.case, document.kind, document.original_name) == (
        case,
        "certificate",
        "低保证.jpg",
    )
    page = login(world["worker"]).get(f"/residents/{resident.pk}/").content.decode()
    assert f"/cases/documents/{document.pk}/" in page and "低保证.jpg" in page
    # A worker of the station who reads the resident but not the case's content
    # sees no document and no form.
    co_worker = make_user("worker2", "social_worker", station=world.station_a)
    other = login(co_worker).get(f"/residents/{resident.pk}/").content.decode()
    assert "低保证.jpg" not in other and 'data-testid="document-form"' not in other


def test_the_resident_page_refuses_another_residents_case_and_bad_files(world, case, login, media):
    resident = case.client
    other = open_case(world, register_resident(world, "梁姨", consented=10), domain="elderly")
    url = f"/cases/residents/{resident.pk}/documents/"
    wrong_case = login(world["worker"]).post(
        url, {"document-case": other.pk, "document-kind": "other", "document-file": _upload()}
    )
    assert wrong_case.status_code == 400
    assert "选择一个有效的选项" in wrong_case.content.decode()
    bad = login(world["worker"]).post(
        url,
        {"document-case": case.pk, "document-kind": "other", "document-file": _upload("a.gif")},
    )
    assert bad.status_code == 400 and TYPE_REFUSED in bad.content.decode()
    assert CaseDocument.objects.count() == 0 and _stored(media) == []
    # Another station's director: 404; a worker of the station who reads the
    # resident but works on none of their cases: 403.
    post = {"document-case": case.pk, "document-kind": "other", "document-file": _upload()}
    assert login(world["director_b"]).post(url, post).status_code == 404
    post["document-file"] = _upload()
    co_worker = make_user("worker2", "social_worker", station=world.station_a)
    assert login(co_worker).post(url, post).status_code == 403
    assert CaseDocument.objects.count() == 0 and _stored(media) == []


def test_documents_go_sooner_than_the_case_text_by_their_own_period(
    world, case, media, settings, django_capture_on_commit_callbacks
):
    """Documents of a case closed longer than RETENTION_DAYS["case_documents"]
    (1095 days by default) are deleted with their files; the case's text stays
    until its own period (3650)."""
    assert settings.RETENTION_DAYS["case_documents"] == 1095
    case_services.case_close(
        actor=world["worker"], case=case, closed_on=today(), outcome="client_withdrew"
    )
    documents.document_add(
        actor=world["worker"], case=case, kind="consent_form", file=_upload("旧.pdf")
    )
    recent = open_case(world, register_resident(world, "梁姨", consented=10), domain="elderly")
    case_services.case_close(
        actor=world["worker"], case=recent, closed_on=today(), outcome="client_withdrew"
    )
    documents.document_add(
        actor=world["worker"], case=recent, kind="consent_form", file=_upload("新.pdf")
    )
    four_years = today() - datetime.timedelta(days=4 * 365)
    two_years = today() - datetime.timedelta(days=2 * 365)
    Case.objects.filter(pk=case.pk).update(opened_on=four_years, closed_on=four_years)
    Case.objects.filter(pk=recent.pk).update(opened_on=two_years, closed_on=two_years)
    out = StringIO()
    call_command("purge_personal_data", "--dry-run", stdout=out)
    assert "Documents of closed cases (kept 1095 days" in out.getvalue()
    assert "documents 1 would be purged" in out.getvalue()
    assert CaseDocument.objects.count() == 2 and len(_stored(media)) == 2
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_personal_data", stdout=StringIO())
    assert list(CaseDocument.objects.values_list("original_name", flat=True)) == ["新.pdf"]
    assert len(_stored(media)) == 1
    entry = AuditEntry.objects.get(object_type="privacy.purge")
    assert entry.detail["counts"]["case_documents"] == {"documents": 1}
    assert entry.detail["periods"]["case_documents"] == 1095
    # The case itself is not anonymised yet: its closing summary stays.
    assert Case.objects.get(pk=case.pk).client.name == "何伯"
    # A second run finds nothing; a shorter period than the floor is refused.
    out = StringIO()
    call_command("purge_personal_data", "--dry-run", stdout=out)
    assert "documents 0 would be purged" in out.getvalue()
    settings.RETENTION_DAYS = {**settings.RETENTION_DAYS, "case_documents": 100}
    with pytest.raises(CommandError, match="Documents of closed cases are kept at least 365"):
        call_command("purge_personal_data", "--dry-run", stdout=StringIO())


def test_a_document_root_the_web_server_serves_is_refused_at_start(settings, tmp_path):
    from shegong.core.documents import check_document_root

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STATIC_ROOT = tmp_path / "static"
    settings.SHEGONG_DOCUMENT_ROOT = tmp_path / "documents"
    assert check_document_root() == []
    settings.SHEGONG_DOCUMENT_ROOT = tmp_path / "media" / "documents"
    assert [e.id for e in check_document_root()] == ["shegong.E101"]
    settings.SHEGONG_DOCUMENT_ROOT = tmp_path
    assert [e.id for e in check_document_root()] == ["shegong.E101", "shegong.E101"]
