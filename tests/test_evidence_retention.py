"""The retention of the evaluators' evidence files 评估佐证材料 (privacy.policy
"evaluation_evidence", 1095 days after the round was finalised): the purge deletes
the files and their rows, the scores, totals, grades and ranks stay exactly; a
round not finalised keeps its evidence however old (a legal hold)."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import timezone

from shegong.core.models import AuditEntry
from shegong.evaluation import services
from shegong.evaluation.models import EvaluationRound, Evidence, IndicatorScore, Rectification
from tests.evaluation_world import draft_round, make_scored_round, score_all
from tests.helpers import days_ago

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
FOUR_YEARS = datetime.timedelta(days=4 * 365)
TWO_YEARS = datetime.timedelta(days=2 * 365)
FIVE_YEARS = datetime.timedelta(days=5 * 365)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _stored(media) -> list[str]:
    return sorted(p.name for p in Path(media).rglob("*") if p.is_file())


def _upload(api, person, sheet, indicator, name: str, content: bytes) -> Evidence:
    response = api(person).post(
        f"/api/station-evaluations/{sheet.pk}/evidence/",
        {"indicator": indicator.pk, "file": SimpleUploadedFile(name, content)},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    return Evidence.objects.get(pk=response.json()["id"])


@pytest.fixture
def rounds(world, api):
    """Hand-counted:
    - 2026年末期评估 (tests/evaluation_world.py), scored, submitted and finalised,
      then dated back 4 years: 3 evidence files (2 on 沙园街's I1 — a sign-in sheet
      and a photo —, 1 on 南石头街's I2): past the 1095 days.
    - 2021年中期评估, opened 5 years ago and never finalised (one sheet, 沙园街's,
      with a sign-in sheet): on hold, kept."""
    sr = make_scored_round(world)
    sheet_a, sheet_b = sr.sheet(world.station_a), sr.sheet(world.station_b)
    _upload(api, world["evaluator"], sheet_a, sr.indicators["I1"], "签到表.pdf", PDF)
    _upload(api, world["evaluator"], sheet_a, sr.indicators["I1"], "活动照片.png", PNG)
    _upload(api, world["evaluator_2"], sheet_b, sr.indicators["I2"], "签到表B.pdf", PDF)
    score_all(sr, api)
    response = api(world["city"]).post(f"/api/evaluation-rounds/{sr.round.pk}/finalise/", {})
    assert response.status_code == 200, response.json()
    EvaluationRound.objects.filter(pk=sr.round.pk).update(finalised_at=timezone.now() - FOUR_YEARS)

    city = world["city"]
    held = draft_round(world, name="2021年中期评估", kind="mid_term", year=2021)
    group = services.indicator_group_add(actor=city, round=held, name="服务产出", weight=100)
    indicator = services.indicator_add(
        actor=city, group=group, name="服务计划执行", max_score=Decimal(10), method="scored"
    )
    services.round_assign(
        actor=city, round=held, station=world.station_a, evaluator=world["evaluator"]
    )
    held = services.round_open(actor=city, round=held)
    held_sheet = held.evaluations.get(station=world.station_a)
    old = _upload(api, world["evaluator"], held_sheet, indicator, "旧签到表.pdf", PDF)
    EvaluationRound.objects.filter(pk=held.pk).update(opened_at=timezone.now() - FIVE_YEARS)
    Evidence.objects.filter(pk=old.pk).update(uploaded_at=timezone.now() - FIVE_YEARS)
    return {"sr": sr, "held": held, "held_evidence": old}


def _purge(*args) -> str:
    out = StringIO()
    call_command("purge_personal_data", *args, stdout=out)
    return out.getvalue()


def _results(api, world, round) -> list[tuple]:
    rows = api(world["city"]).get(f"/api/evaluation-rounds/{round.pk}/results/").json()
    return [
        (
            r["station_code"],
            r["groups"],
            r["total"],
            r["grade"],
            r["rank_district"],
            r["rank_round"],
        )
        for r in rows
    ]


def _export(login, world, round) -> list[list[str]]:
    client = login(world["city"])
    client.cookies["django_language"] = "zh-hans"
    response = client.get(f"/evaluation/rounds/{round.pk}/export/", {"format": "csv"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


# The results of tests/test_evaluation.py, hand-computed there.
RESULTS = [
    (
        "haizhu-11",
        {"服务产出": "40.00", "服务质量": "30.00", "管理": "27.00"},
        "97.00",
        "excellent",
        1,
        1,
    ),
    (
        "haizhu-10",
        {"服务产出": "30.50", "服务质量": "27.00", "管理": "30.00"},
        "87.50",
        "good",
        2,
        2,
    ),
    (
        "yuexiu-02",
        {"服务产出": "20.00", "服务质量": "18.00", "管理": "18.00"},
        "56.00",
        "fail",
        1,
        3,
    ),
]
EXPORT = [
    ["排名", "区排名", "区", "社工站", "服务产出", "服务质量", "管理", "总分", "等级"],
    ["1", "1", "海珠区", "南石头街社工站", "40.00", "30.00", "27.00", "97.00", "优秀"],
    ["2", "2", "海珠区", "沙园街社工站", "30.50", "27.00", "30.00", "87.50", "良好"],
    ["3", "1", "越秀区", "北京街社工站", "20.00", "18.00", "18.00", "56.00", "不合格"],
]


def _scores() -> list[tuple]:
    return sorted(
        IndicatorScore.objects.values_list(
            "evaluation_id", "indicator_id", "score", "note", "scored_by", "scored_at"
        )
    )


def test_the_purge_deletes_the_evidence_of_old_finalised_rounds_and_keeps_the_results(
    rounds, world, api, login, media, django_capture_on_commit_callbacks
):
    sr = rounds["sr"]
    assert _results(api, world, sr.round) == RESULTS
    assert _export(login, world, sr.round) == EXPORT
    scores = _scores()
    sheet_a = sr.sheet(world.station_a)
    page = login(world["city"]).get(f"/evaluation/sheets/{sheet_a.pk}/").content.decode()
    assert "签到表.pdf" in page and "活动照片.png" in page and "87.50" in page
    # Finalised 4 × 365 days ago, kept 1095: until 365 days ago.
    assert f"佐证材料保存至 {days_ago(365)}，之后按保存期限删除；评分及其说明保留。" in page
    assert len(_stored(media)) == 4
    purged = list(Evidence.objects.filter(score__evaluation__round=sr.round).values_list("pk"))
    with django_capture_on_commit_callbacks(execute=True):
        out = _purge()
    assert "Evaluation evidence files (kept 1095 days" in out
    assert "rounds 1, files 3 were purged." in out
    # The files are gone from disk and their rows with them; the held round's stays.
    assert list(Evidence.objects.values_list("original_name", flat=True)) == ["旧签到表.pdf"]
    assert _stored(media) == [Path(rounds["held_evidence"].file.name).name]
    # The results, through the pages' own code (the API, the export, the sheet),
    # and every score row are what they were.
    assert _results(api, world, sr.round) == RESULTS
    assert _export(login, world, sr.round) == EXPORT
    assert _scores() == scores
    page = login(world["city"]).get(f"/evaluation/sheets/{sheet_a.pk}/").content.decode()
    assert "签到表.pdf" not in page and "活动照片.png" not in page and "87.50" in page
    for (pk,) in purged:
        assert login(world["city"]).get(f"/evaluation/evidence/{pk}/").status_code == 404


def test_the_evidence_of_a_round_not_finalised_is_never_purged(
    rounds, world, settings, media, login, django_capture_on_commit_callbacks
):
    held_sheet = rounds["held"].evaluations.get(station=world.station_a)
    page = login(world["city"]).get(f"/evaluation/sheets/{held_sheet.pk}/").content.decode()
    assert "旧签到表.pdf" in page and 'data-testid="evidence-retention"' not in page
    # Even with the shortest period allowed, the five-year-old open round keeps its file.
    settings.RETENTION_DAYS = {**settings.RETENTION_DAYS, "evaluation_evidence": 365}
    with django_capture_on_commit_callbacks(execute=True):
        _purge()
    held = Evidence.objects.get()
    assert held.pk == rounds["held_evidence"].pk
    assert held.file.read() == PDF
    # The hold is the status, not a date: an open round carrying a finalisation
    # time (as an import could leave it) keeps its evidence too.
    EvaluationRound.objects.filter(pk=rounds["held"].pk).update(
        finalised_at=timezone.now() - FIVE_YEARS
    )
    assert "rounds 0, files 0 would be purged." in _purge("--dry-run")


def test_a_round_finalised_within_the_period_keeps_its_evidence(rounds, world):
    EvaluationRound.objects.filter(pk=rounds["sr"].round.pk).update(
        finalised_at=timezone.now() - TWO_YEARS
    )
    assert "rounds 0, files 0 were purged." in _purge()
    assert Evidence.objects.count() == 4


def test_a_dry_run_counts_the_files_and_deletes_nothing(rounds, media):
    out = _purge("--dry-run")
    assert "Evaluation evidence files (kept 1095 days" in out
    assert "rounds 1, files 3 would be purged." in out
    assert "Dry run: 4 changes would be made; nothing changed." in out
    assert Evidence.objects.count() == 4 and len(_stored(media)) == 4
    assert not AuditEntry.objects.filter(object_type="privacy.purge").exists()


def test_the_run_audit_entry_counts_the_files_and_a_second_run_finds_none(
    rounds, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _purge()
    entry = AuditEntry.objects.get(object_type="privacy.purge")
    assert entry.detail["counts"]["evaluation_evidence"] == {"rounds": 1, "files": 3}
    assert entry.detail["periods"]["evaluation_evidence"] == 1095
    # No file name of the purged evidence is copied into the audit log.
    assert "签到表" not in str(entry.detail)
    assert "rounds 0, files 0 would be purged." in _purge("--dry-run")


def test_a_period_below_the_floor_is_refused_and_nothing_is_deleted(rounds, settings, media):
    settings.RETENTION_DAYS = {**settings.RETENTION_DAYS, "evaluation_evidence": 200}
    message = "Evaluation evidence files are kept at least 365 days; a period of 200 days"
    for args in ((), ("--dry-run",)):
        with pytest.raises(CommandError, match=message):
            _purge(*args)
    assert Evidence.objects.count() == 4 and len(_stored(media)) == 4
    assert not AuditEntry.objects.filter(object_type="privacy.purge").exists()


# --- Rectification files 整改佐证 (privacy.policy "rectification_evidence") -----------


def _rectification(api, world, name: str, *, accept: bool, back: datetime.timedelta):
    from tests.test_evaluation_evidence import pdf
    from tests.test_inspection import _inspect, _rectify

    item = _rectify(api, world, _inspect(api, world).json()["id"], due_in_days=10).json()
    submitted = api(world["director"]).post(
        f"/api/rectifications/{item['id']}/submit/",
        {"response": f"{name}已整改", "evidence": pdf(f"{name}.pdf")},
        format="multipart",
    )
    assert submitted.status_code == 200, submitted.json()
    if accept:
        assert (
            api(world["district"])
            .post(f"/api/rectifications/{item['id']}/accept/", {}, format="json")
            .status_code
            == 200
        )
    rectification = Rectification.objects.get(pk=item["id"])
    Rectification.objects.filter(pk=rectification.pk).update(
        closed_at=rectification.closed_at - back if accept else None,
        submitted_at=rectification.submitted_at - back,
    )
    return rectification


def test_the_files_of_rectifications_accepted_long_ago_go_and_the_items_stay(
    world, api, login, media, django_capture_on_commit_callbacks
):
    old = _rectification(api, world, "消防通道", accept=True, back=FOUR_YEARS)
    recent = _rectification(api, world, "台账", accept=True, back=TWO_YEARS)
    waiting = _rectification(api, world, "门禁", accept=False, back=FIVE_YEARS)
    assert len(_stored(media)) == 3
    assert "files 1 would be purged." in _purge("--dry-run")
    assert len(_stored(media)) == 3
    with django_capture_on_commit_callbacks(execute=True):
        out = _purge()
    assert "Rectification files (kept 1095 days" in out
    assert _stored(media) == sorted(
        Path(item.evidence.name).name
        for item in Rectification.objects.filter(pk__in=[recent.pk, waiting.pk])
    )
    purged = Rectification.objects.get(pk=old.pk)
    assert (purged.evidence.name, purged.evidence_name, purged.evidence_type) == ("", "", "")
    assert (purged.status, purged.description, purged.response) == (
        "closed",
        "清理消防通道",
        "消防通道已整改",
    )
    # Its download is gone; the others' stay.
    officer = login(world["district"])
    assert officer.get(f"/evaluation/rectifications/{old.pk}/evidence/").status_code == 404
    assert officer.get(f"/evaluation/rectifications/{recent.pk}/evidence/").status_code == 200
    entry = AuditEntry.objects.get(object_type="privacy.purge")
    assert entry.detail["counts"]["rectification_evidence"] == {"files": 1}
    assert entry.detail["periods"]["rectification_evidence"] == 1095
