"""Chinese complete: every page of the access matrix (tests/access_matrix.py, the
GET rows of web pages, the admin's included), fetched once in zh-Hans by the
first role that gets 200, shows no English msgid of the project's catalogue.

The English msgids are those of locale/zh_Hans/LC_MESSAGES/django.po whose
translation differs from the msgid; a page shows one when a text node (or a
placeholder, title or label attribute) of the page is that msgid, or holds it
as a phrase of two words or more. The world and its objects are the access
matrix's (built once for the module)."""

from __future__ import annotations

import html
import re
from functools import cache
from pathlib import Path

import pytest
from django.urls import reverse

import shegong
from shegong.accounts.models import User
from tests.access_matrix import ROUTES, Route, parse_row
from tests.test_access_matrix import clients, objects  # noqa: F401 (fixtures)

PO = Path(shegong.__file__).parent / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
# Words an English msgid may share with a Chinese page without being untranslated.
NOT_ENGLISH = {"OK", "ID", "CSV", "Excel", "API", "PDF", "QR", "TOTP", "113X", "English"}


def _unquote(line: str) -> str:
    return line[line.index('"') + 1 : line.rindex('"')].encode().decode("unicode_escape")


def _entries(text: str):
    """(msgid, msgstr) of each entry of a .po file (plural forms: the singular)."""
    msgid = msgstr = None
    current = None
    for line in text.splitlines() + [""]:
        line = line.strip()
        if line.startswith("msgid "):
            if msgid is not None:
                yield msgid, msgstr or ""
            msgid, msgstr, current = _unquote(line), None, "id"
        elif line.startswith("msgid_plural"):
            current = None
        elif line.startswith("msgstr"):
            value = _unquote(line)
            if msgstr is None:
                msgstr = value
            current = "str" if line.startswith(("msgstr ", "msgstr[0]")) else None
        elif line.startswith('"') and current == "id":
            msgid += _unquote(line)
        elif line.startswith('"') and current == "str":
            msgstr += _unquote(line)
        elif line.startswith("#~"):
            current = None
    if msgid is not None:
        yield msgid, msgstr or ""


@cache
def english_msgids() -> frozenset[str]:
    """The catalogue's msgids that are shown translated: the English a zh-Hans
    page must not show."""
    text = PO.read_text(encoding="utf-8")
    wanted = set()
    for msgid, msgstr in _entries(text):
        if not msgid or msgstr == msgid:
            continue
        if "%" in msgid or "{" in msgid or "<" in msgid or msgid in NOT_ENGLISH:
            continue  # placeholders: the rendered text differs
        if not re.search(r"[A-Za-z]{2}", msgid):
            continue
        wanted.add(msgid.strip())
    return frozenset(wanted)


_SKIP = re.compile(r"<(script|style|template|svg)\b.*?</\1>", re.S | re.I)
_ATTRS = re.compile(r'\b(?:placeholder|title|aria-label|alt)="([^"]*)"')
_TAG = re.compile(r"<[^>]+>")
# Permission names are rows Django writes in English ("Can add case"): data.
_PERMISSION = re.compile(r"\| Can (add|change|delete|view) ")


def shown_texts(page: str) -> list[str]:
    """The text nodes and the readable attributes of an HTML page."""
    page = _SKIP.sub(" ", page)
    texts = [html.unescape(a).strip() for a in _ATTRS.findall(page)]
    texts += [html.unescape(t).strip() for t in _TAG.split(page)]
    return [re.sub(r"\s+", " ", t) for t in texts if t and re.search("[A-Za-z]", t)]


def english_shown(page: str, data: frozenset[str] = frozenset()) -> list[str]:
    """The English msgids shown on `page`, other than the world's own `data`
    (people's names such as "City" that happen to be msgids too)."""
    msgids = english_msgids()
    found = []
    for text in shown_texts(page):
        if text.rstrip(":：") in data or _PERMISSION.search(text):
            continue
        if text in msgids or text.rstrip(":：") in msgids:
            found.append(text)
            continue
        for msgid in msgids:
            if " " in msgid and msgid in text:
                found.append(f"{msgid!r} in {text!r}")
    return found


# The admin pages of django-otp's devices: that package labels its fields with
# plain strings (no gettext), which no catalogue can translate.
UNTRANSLATABLE = ("admin:otp_totp_totpdevice", "admin:otp_static_staticdevice")


def _pages() -> list[tuple[Route, str]]:
    """Each GET web route with the first role that gets 200 on its first row."""
    chosen = []
    for route in ROUTES:
        if route.get is None or route.api or route.key.startswith(UNTRANSLATABLE):
            continue
        row = parse_row(route.expected("get")[0], len(route.roles))
        # A worker's or an official's page reads as theirs; the superuser last.
        order = ["worker", "director", "agency", "district", "city", "evaluator", "staff"]
        order += ["anon", "admin"]
        roles = [r for r in order if r in route.roles and row[route.roles.index(r)] == "200"]
        if roles:
            chosen.append((route, roles[0]))
    return chosen


PAGES = _pages()


def test_the_crawl_covers_the_pages():
    keys = {route.key for route, _role in PAGES}
    assert {"clients:resident-list", "cases:case-list", "core:audit-log", "admin:index"} <= keys
    assert len(PAGES) > 170


def test_the_check_finds_english():
    assert english_shown("<p>状态</p><label>Status</label>") == ["Status"]
    assert english_shown('<input placeholder="状态">') == []


@pytest.mark.parametrize(("route", "role"), PAGES, ids=lambda x: getattr(x, "label", x))
def test_page_is_chinese(route: Route, role: str, objects, clients, db):  # noqa: F811
    kwargs = route.url_kwargs(objects.side("in") if route.has_object else None)
    url = reverse(route.name, kwargs=kwargs) if route.name else route.path(kwargs)
    client = clients[role]
    client.cookies["django_language"] = "zh-hans"
    response = client.get(url, headers={"Accept-Language": "zh-hans"})
    assert response.status_code == 200, url
    if "html" not in response.get("Content-Type", ""):
        return
    data = frozenset(
        name for pair in User.objects.values_list("username", "full_name") for name in pair if name
    )
    found = english_shown(response.content.decode(), data)
    assert not found, f"{url} as {role}: {found}"
