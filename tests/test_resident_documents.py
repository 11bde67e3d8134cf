"""A resident's own documents 文件附件 (no case: the consent form signed at
registration, a hardship certificate): type by content and size checked before
anything is stored, stored outside the web root, read by the staff of the
resident's station only (404 for anyone else) and every download
access-logged and audited; deleted by the uploader or the director, audited;
moved by the merge, deleted with their files by the anonymisation, listed in
the subject export."""

from __future__ import annotations

import datetime
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from shegong.cases import services as case_services
from shegong.cases.models import Case
from shegong.clients import documents
from shegong.clients.models import ResidentDocument
from shegong.clients.services import resident_merge
from shegong.core.models import AccessLog, AuditEntry
from shegong.core.roles import Role
from shegong.privacy.requests import subject_request_answer, subject_request_open
from tests.conftest import make_user
from tests.helpers import open_case, register_resident, today

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
TYPE_REFUSED = "只能上传 PDF、PNG 或 JPEG 文件。"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """The documents' folder (SHEGONG_DOCUMENT_ROOT), apart from MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SHEGONG_DOCUMENT_ROOT = tmp_path / "documents"
    return settings.SHEGONG_DOCUMENT_ROOT


@pytest.fixture
def resident(world):
    """A priority client (a hardship family) of station A, with no case."""
    return register_resident(world, "何伯", consented=10, classify="family", priority=True)


def _upload(name="同意书.pdf", content=PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def _post(client, resident, upload, kind="consent_form", title="登记时签署"):
    return client.post(
        f"/residents/{resident.pk}/documents/",
        {
            "resident_document-kind": kind,
            "resident_document-title": title,
            "resident_document-file": upload,
        },
    )


def _stored(media) -> list[str]:
    return sorted(p.name for p in Path(media).rglob("*") if p.is_file())


def _add(world, resident, name="同意书.pdf", content=PDF, actor=None) -> ResidentDocument:
    return documents.resident_document_upload(
        actor=actor or world["worker"],
        resident=resident,
        kind="certificate",
        file=_upload(name, content),
    )


def test_a_worker_files_a_pdf_and_a_png_with_a_resident_who_has_no_case(
    world, resident, login, media
):
    client = login(world["worker"])
    page = client.get(f"/residents/{resident.pk}/").content.decode()
    assert 'data-testid="resident-document-form"' in page and "居民本人文件 (0)" in page
    response = _post(client, resident, _upload())
    assert response.status_code == 302 and response.url == f"/residents/{resident.pk}/"
    response = _post(client, resident, _upload("低保证.PNG", PNG), kind="certificate", title="")
    assert response.status_code == 302
    rows = list(
        ResidentDocument.objects.order_by("pk").values_list(
            "resident", "kind", "original_name", "content_type", "size", "author__username"
        )
    )
    assert rows == [
        (resident.pk, "consent_form", "同意书.pdf", "application/pdf", len(PDF), "worker"),
        (resident.pk, "certificate", "低保证.PNG", "image/png", len(PNG), "worker"),
    ]
    # Stored under SHEGONG_DOCUMENT_ROOT with names of ours, nothing under
    # MEDIA_ROOT, and no URL.
    first, second = ResidentDocument.objects.order_by("pk")
    path = Path(first.file.path)
    assert path.is_relative_to(media) and path.name == first.stored_name
    assert path.parent.name == str(world.station_a.pk)
    assert path.read_bytes() == PDF and Path(second.file.path).read_bytes() == PNG
    assert not (media.parent / "media").exists()
    with pytest.raises(ValueError):
        first.file.url  # noqa: B018
    page = client.get(f"/residents/{resident.pk}/").content.decode()
    assert "居民本人文件 (2)" in page
    assert f"/residents/{resident.pk}/documents/{first.pk}/" in page
    assert "同意书.pdf" in page and "知情同意书" in page and "低保证.PNG" in page
    # Created rows are audited, their file's name redacted.
    created = AuditEntry.objects.filter(object_type="clients.residentdocument", action="create")
    assert created.count() == 2
    assert "同意书" not in str(list(created.values_list("object_repr", "changes")))


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (_upload("setup.exe", b"MZ\x90\x00" + b"\x00" * 40), TYPE_REFUSED),
        (_upload("同意书.pdf", b"MZ\x90\x00" + b"\x00" * 40), "文件内容与其类型（.pdf）不符。"),
        (_upload("照片.png", b"%PDF-1.4\n"), "文件内容与其类型（.png）不符。"),
        (_upload("page.html", b"<html></html>"), TYPE_REFUSED),
    ],
    ids=["exe", "exe-renamed-pdf", "pdf-renamed-png", "html"],
)
def test_a_forbidden_type_is_refused_and_nothing_stored(
    world, resident, login, media, upload, message
):
    response = _post(login(world["worker"]), resident, upload)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert ResidentDocument.objects.count() == 0 and _stored(media) == []
    assert not AuditEntry.objects.filter(object_type="clients.residentdocument").exists()


def test_an_oversize_file_is_refused_and_the_limit_itself_accepted(
    world, resident, login, media, settings
):
    settings.SHEGONG_DOCUMENT_MAX_BYTES = 1024 * 1024
    client = login(world["worker"])
    response = _post(client, resident, _upload("证明.pdf", PDF + b"0" * (1024 * 1024)))
    assert response.status_code == 400
    assert "文件超过 1 MB。" in response.content.decode()
    assert ResidentDocument.objects.count() == 0 and _stored(media) == []
    exact = _upload("证明.pdf", PDF + b"0" * (1024 * 1024 - len(PDF)))
    assert _post(client, resident, exact).status_code == 302
    assert ResidentDocument.objects.get().size == 1024 * 1024
    assert len(_stored(media)) == 1


def test_the_stations_staff_download_it_each_time_access_logged_and_audited(world, resident, login):
    document = _add(world, resident)
    co_worker = make_user("worker2", Role.SOCIAL_WORKER, station=world.station_a)
    url = f"/residents/{resident.pk}/documents/{document.pk}/"
    for person in (world["worker"], world["worker"], co_worker, world["director"]):
        download = login(person).get(url)
        assert download.status_code == 200
        assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    logged = AccessLog.objects.filter(action="download_resident", object_id=document.pk)
    assert logged.count() == 4
    assert sorted(logged.values_list("user__username", flat=True)) == [
        "director",
        "worker",
        "worker",
        "worker2",
    ]
    assert set(logged.values_list("station_id", flat=True)) == {world.station_a.pk}
    assert logged.first().object_label == "何伯 同意书.pdf"
    # The director reads it in the access log page's vocabulary.
    assert str(AccessLog.Action("download_resident").label) == "下载了居民文件"
    taken = AuditEntry.objects.filter(object_type="clients.residentdocument", action="export")
    assert taken.count() == 4
    assert taken.first().detail == {
        "document": document.pk,
        "resident": resident.pk,
        "kind": "certificate",
    }
    assert "同意书" not in str(list(taken.values_list("object_repr", "detail")))


@pytest.mark.parametrize(
    "person", ["worker_c", "director_b", "district", "city", "agency", "evaluator", "buyer"]
)
def test_outsiders_officials_evaluators_and_the_buyer_get_404(
    world, resident, login, api, media, person
):
    world.people["buyer"] = make_user("buyer", Role.STREET_OFFICE, street=world.street_a)
    document = _add(world, resident)
    user = world[person]
    base = f"/residents/{resident.pk}/documents/"
    assert login(user).get(f"{base}{document.pk}/").status_code == 404
    assert login(user).post(f"{base}{document.pk}/delete/").status_code == 404
    assert _post(login(user), resident, _upload("b.pdf")).status_code == 404
    assert api(user).get(f"/api/resident-documents/{document.pk}/download/").status_code == 404
    assert api(user).get("/api/resident-documents/").json()["count"] == 0
    assert not AccessLog.objects.filter(action="download_resident").exists()
    assert ResidentDocument.objects.count() == 1 and len(_stored(media)) == 1


def test_a_superuser_reads_the_resident_but_not_their_papers(world, resident, login):
    document = _add(world, resident)
    admin = login(world["admin"])
    page = admin.get(f"/residents/{resident.pk}/")
    assert page.status_code == 200
    assert "同意书.pdf" not in page.content.decode()
    assert 'data-testid="resident-document-form"' not in page.content.decode()
    url = f"/residents/{resident.pk}/documents/{document.pk}/"
    assert admin.get(url).status_code == 404
    assert _post(admin, resident, _upload("b.pdf")).status_code == 403
    assert ResidentDocument.objects.count() == 1


def test_deleted_by_the_uploader_or_the_director_only_and_audited(
    world, resident, login, media, django_capture_on_commit_callbacks
):
    document = _add(world, resident)
    other = _add(world, resident, "b.pdf")
    assert len(_stored(media)) == 2
    co_worker = make_user("worker2", Role.SOCIAL_WORKER, station=world.station_a)
    # A fellow worker of the station reads it but did not upload it: no button, 403.
    page = login(co_worker).get(f"/residents/{resident.pk}/").content.decode()
    assert "同意书.pdf" in page and 'data-testid="own-document-delete"' not in page
    base = f"/residents/{resident.pk}/documents/"
    assert login(co_worker).post(f"{base}{document.pk}/delete/").status_code == 403
    # Under another resident's address: 404.
    stranger = register_resident(world, "梁姨", consented=10)
    assert (
        login(world["worker"])
        .post(f"/residents/{stranger.pk}/documents/{document.pk}/delete/")
        .status_code
        == 404
    )
    assert ResidentDocument.objects.count() == 2
    page = login(world["worker"]).get(f"/residents/{resident.pk}/").content.decode()
    assert page.count('data-testid="own-document-delete"') == 2
    with django_capture_on_commit_callbacks(execute=True):
        response = login(world["worker"]).post(f"{base}{document.pk}/delete/")
    assert response.status_code == 302 and response.url == f"/residents/{resident.pk}/"
    with django_capture_on_commit_callbacks(execute=True):
        response = login(world["director"]).post(f"{base}{other.pk}/delete/")
    assert response.status_code == 302
    assert ResidentDocument.objects.count() == 0 and _stored(media) == []
    deleted = AuditEntry.objects.filter(object_type="clients.residentdocument", action="delete")
    assert sorted(deleted.values_list("username", flat=True)) == ["director", "worker"]
    assert "'b.pdf'" not in str(list(deleted.values_list("object_repr", "changes")))
    assert {e["original_name"] for e in deleted.values_list("changes", flat=True)} == {"changed"}


def test_the_merge_moves_the_documents_to_the_kept_record(world, resident, login):
    duplicate = register_resident(world, "何伯", consented=10)
    document = _add(world, duplicate, "身份证.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 40)
    kept = _add(world, resident)
    resident_merge(actor=world["director"], keep=resident, duplicate=duplicate)
    assert sorted(ResidentDocument.objects.values_list("resident_id", flat=True)) == [
        resident.pk,
        resident.pk,
    ]
    assert {document.pk, kept.pk} == set(resident.documents.values_list("pk", flat=True))
    # Downloaded at the kept record's address; the tombstone offers no upload.
    url = f"/residents/{resident.pk}/documents/{document.pk}/"
    assert login(world["worker"]).get(url).status_code == 200
    tombstone = login(world["worker"]).get(f"/residents/{duplicate.pk}/").content.decode()
    assert 'data-testid="resident-document-form"' not in tombstone
    assert _post(login(world["worker"]), duplicate, _upload()).status_code == 403
    assert ResidentDocument.objects.count() == 2


def test_the_anonymisation_deletes_the_documents_and_their_files(
    world, resident, media, django_capture_on_commit_callbacks
):
    _add(world, resident)
    _add(world, resident, "照片.png", PNG)
    other = register_resident(world, "梁姨", consented=10)
    _add(world, other, "梁姨.pdf")
    assert len(_stored(media)) == 3
    request = subject_request_open(
        actor=world["worker"],
        resident=resident,
        kind="deletion",
        requested_by="本人",
        received_on=today(),
    )
    with django_capture_on_commit_callbacks(execute=True):
        subject_request_answer(actor=world["director"], request=request, outcome="已按本人要求删除")
    resident.refresh_from_db()
    assert resident.name == "已匿名"
    assert list(ResidentDocument.objects.values_list("original_name", flat=True)) == ["梁姨.pdf"]
    assert _stored(media) == [ResidentDocument.objects.get().stored_name]
    entry = AuditEntry.objects.get(object_type="privacy.deletion")
    assert entry.detail["counts"]["resident_documents"] == 2


def test_the_subject_export_lists_the_documents(world, resident, login):
    _add(world, resident, "低保证.pdf")
    item = subject_request_open(
        actor=world["worker"],
        resident=resident,
        kind="access",
        requested_by="本人",
        received_on=today(),
    )
    data = json.loads(
        login(world["director"]).get(f"/privacy/requests/{item.pk}/export.json").content
    )
    rows = data["clients.residentdocument"]
    assert [(row["original_name"], row["kind"], row["author"]) for row in rows] == [
        ("低保证.pdf", "证明文件", str(world["worker"]))
    ]
    assert "file" not in rows[0] and "stored_name" not in rows[0]
    assert (rows[0]["content_type"], rows[0]["size"]) == ("application/pdf", str(len(PDF)))
    assert PDF.decode() not in json.dumps(data)


def test_the_api_uploads_lists_downloads_and_deletes(world, resident, api, media):
    client = api(world["worker"])
    answer = client.post(
        "/api/resident-documents/",
        {"resident": resident.pk, "kind": "consent_form", "file": _upload("同意书.pdf")},
        format="multipart",
    )
    assert answer.status_code == 201
    body = answer.json()
    assert (body["resident"], body["original_name"], body["content_type"], body["size"]) == (
        resident.pk,
        "同意书.pdf",
        "application/pdf",
        len(PDF),
    )
    bad = client.post(
        "/api/resident-documents/",
        {"resident": resident.pk, "kind": "consent_form", "file": _upload("a.exe", b"MZ")},
        format="multipart",
    )
    assert bad.status_code == 400 and bad.json() == {"file": [TYPE_REFUSED]}
    outsider = api(world["director_b"]).post(
        "/api/resident-documents/",
        {"resident": resident.pk, "kind": "other", "file": _upload("b.pdf")},
        format="multipart",
    )
    assert outsider.status_code == 400  # the resident is not among theirs
    assert ResidentDocument.objects.count() == 1 and len(_stored(media)) == 1
    listed = client.get("/api/resident-documents/", {"resident": resident.pk}).json()
    assert [row["id"] for row in listed["results"]] == [body["id"]]
    download = client.get(f"/api/resident-documents/{body['id']}/download/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert AccessLog.objects.filter(action="download_resident").count() == 1
    url = f"/api/resident-documents/{body['id']}/"
    assert api(world["director_b"]).delete(url).status_code == 404
    assert client.delete(url).status_code == 204
    assert ResidentDocument.objects.count() == 0


def test_the_retention_purge_deletes_the_documents_of_a_client_it_anonymises(
    world, resident, media, django_capture_on_commit_callbacks
):
    case = open_case(world, resident, domain="family", opened_on=today())
    case_services.case_close(
        actor=world["worker"], case=case, closed_on=today(), outcome="client_withdrew"
    )
    _add(world, resident, "身份证.pdf")
    long_ago = today() - datetime.timedelta(days=11 * 365)
    Case.objects.filter(pk=case.pk).update(opened_on=long_ago, closed_on=long_ago)
    out = StringIO()
    call_command("purge_personal_data", "--dry-run", stdout=out)
    assert "resident_documents 1" in out.getvalue()
    assert ResidentDocument.objects.count() == 1 and len(_stored(media)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_personal_data", stdout=StringIO())
    assert ResidentDocument.objects.count() == 0 and _stored(media) == []
    entry = AuditEntry.objects.get(object_type="privacy.purge")
    assert entry.detail["counts"]["closed_cases"]["resident_documents"] == 1
