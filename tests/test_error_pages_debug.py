"""The platform's error pages, in Chinese, also while DEBUG is on (Django's own
technical pages are in English): an unknown address and a record out of scope
(404), a refusal (403), an error in a view (500, still logged)."""

import logging

import pytest

from shegong.clients import views as client_views


@pytest.fixture
def debug(settings):
    settings.DEBUG = True


def _text(response) -> str:
    return response.content.decode()


def test_unknown_address_is_the_chinese_404(world, login, debug):
    response = login(world["worker"]).get("/no-such-page/")
    assert response.status_code == 404
    assert "未找到" in _text(response) and "Page not found" not in _text(response)


def test_a_record_out_of_scope_is_the_chinese_404(world, login, debug):
    response = login(world["worker"]).get("/residents/999999/")
    assert response.status_code == 404
    assert "未找到" in _text(response) and "Http404" not in _text(response)


def test_a_refusal_is_the_chinese_403(world, login, debug):
    response = login(world["worker"]).get("/audit/")
    assert response.status_code == 403
    assert "无权操作" in _text(response)


def test_an_error_is_the_chinese_500_and_logged(world, login, debug, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(client_views, "Paginator", broken)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = login(world["worker"]).get("/residents/")
    assert response.status_code == 500
    assert "服务器错误" in _text(response) and "Traceback" not in _text(response)
    assert any(r.exc_info and "boom" in str(r.exc_info[1]) for r in caplog.records)


def test_without_debug_nothing_changes(world, login):
    response = login(world["worker"]).get("/no-such-page/")
    assert response.status_code == 404 and "未找到" in _text(response)
