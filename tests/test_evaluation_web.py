"""The evaluation pages end to end: the city officer creates a round with the
standard system, assigns and opens it; the evaluator scores (a refused score and a
refused upload keep the page with a message), submits; the city officer finalises;
the director reads and replies. Pages per role."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shegong.evaluation.models import EvaluationRound, Indicator, StationEvaluation
from tests.evaluation_world import english_messages
from tests.test_evaluation_evidence import PDF


@pytest.fixture(autouse=True)
def english(settings, tmp_path):
    english_messages(settings)
    settings.MEDIA_ROOT = tmp_path


def test_round_from_creation_to_the_directors_reply(world, client):
    client.force_login(world["city"])
    created = client.post(
        "/evaluation/rounds/new/",
        {
            "name": "2026年海珠区末期评估",
            "kind": "final",
            "year": 2026,
            "district": world.district.pk,
            "standard_system": "on",
        },
    )
    assert created.status_code == 302
    round = EvaluationRound.objects.get(name="2026年海珠区末期评估")
    page = client.get(created["Location"])
    assert "weights add up to 100 of 100" in page.content.decode()
    assert Indicator.objects.filter(group__round=round).count() == 9
    # The weights are full: one more group is refused with the reason.
    refused = client.post(f"/evaluation/rounds/{round.pk}/groups/", {"name": "其他", "weight": 5})
    assert refused.status_code == 400
    assert "they must add up to 100" in refused.content.decode()
    assigned = client.post(
        f"/evaluation/rounds/{round.pk}/assignments/",
        {"station": world.station_a.pk, "evaluator": world["evaluator"].pk},
    )
    assert assigned.status_code == 302
    # Station C is not in a 海珠 round.
    outside = client.post(
        f"/evaluation/rounds/{round.pk}/assignments/",
        {"station": world.station_c.pk, "evaluator": world["evaluator"].pk},
    )
    assert outside.status_code == 400
    client.post(f"/evaluation/rounds/{round.pk}/open/")
    round.refresh_from_db()
    assert round.status == "open"
    sheet = StationEvaluation.objects.get(round=round, station=world.station_a)

    client.force_login(world["evaluator"])
    page = client.get(f"/evaluation/sheets/{sheet.pk}/")
    assert page.status_code == 200
    year = round.year
    assert f"No satisfaction survey answers in {year}." in page.content.decode()
    scored = Indicator.objects.filter(group__round=round, method="scored").order_by("pk")
    upload = client.post(
        f"/evaluation/sheets/{sheet.pk}/evidence/",
        {
            "indicator": scored[0].pk,
            "file": SimpleUploadedFile("x.pdf", b"<html>hi</html>", content_type="application/pdf"),
        },
    )
    assert upload.status_code == 400
    assert "does not match its type (.pdf)" in upload.content.decode()
    ok = client.post(
        f"/evaluation/sheets/{sheet.pk}/evidence/",
        {"indicator": scored[0].pk, "file": SimpleUploadedFile("台账.pdf", PDF)},
    )
    assert ok.status_code == 302
    for indicator in scored:
        response = client.post(
            f"/evaluation/sheets/{sheet.pk}/score/",
            {"indicator": indicator.pk, "score": str(indicator.max_score), "note": "良好"},
        )
        assert response.status_code == 302
    client.post(f"/evaluation/sheets/{sheet.pk}/submit/")
    sheet.refresh_from_db()
    assert sheet.status == "submitted"

    client.force_login(world["city"])
    client.post(f"/evaluation/rounds/{round.pk}/finalise/")
    page = client.get(f"/evaluation/rounds/{round.pk}/")
    round.refresh_from_db()
    # Station B (also in 海珠) was never submitted: finalising is refused.
    assert round.status == "open"
    assert "1 station(s) have not been submitted yet." in page.content.decode()
    client.post(
        f"/evaluation/rounds/{round.pk}/assignments/",
        {"station": world.station_b.pk, "evaluator": world["evaluator"].pk},
    )
    sheet_b = StationEvaluation.objects.get(round=round, station=world.station_b)
    client.force_login(world["evaluator"])
    for indicator in scored:
        client.post(
            f"/evaluation/sheets/{sheet_b.pk}/score/", {"indicator": indicator.pk, "score": "1"}
        )
    client.post(f"/evaluation/sheets/{sheet_b.pk}/submit/")
    client.force_login(world["city"])
    client.post(f"/evaluation/rounds/{round.pk}/finalise/")
    round.refresh_from_db()
    assert round.status == "finalised"

    client.force_login(world["director"])
    page = client.get(f"/evaluation/sheets/{sheet.pk}/")
    assert page.status_code == 200
    assert 'data-testid="sheet-total"' in page.content.decode()
    assert client.get(f"/evaluation/sheets/{sheet_b.pk}/").status_code == 404
    client.post(f"/evaluation/sheets/{sheet.pk}/reply/", {"text": "感谢指导"})
    client.post(
        f"/evaluation/sheets/{sheet.pk}/reply/", {"text": "已补充台账", "indicator": scored[0].pk}
    )
    sheet.refresh_from_db()
    assert sheet.director_comment == "感谢指导"
    assert sheet.scores.get(indicator=scored[0]).director_reply == "已补充台账"


def test_pages_per_role(world, login):
    assert login(world["city"]).get("/evaluation/").status_code == 200
    assert login(world["district"]).get("/evaluation/").status_code == 200
    assert login(world["evaluator"]).get("/evaluation/").status_code == 200
    assert login(world["director"]).get("/evaluation/").status_code == 200
    assert login(world["worker"]).get("/evaluation/").status_code == 403
    assert login(world["director"]).get("/evaluation/rounds/new/").status_code == 403
    assert login(world["city"]).get("/evaluation/inspections/").status_code == 200
    assert login(world["district"]).get("/evaluation/inspections/new/").status_code == 200
    assert login(world["director"]).get("/evaluation/inspections/new/").status_code == 403
