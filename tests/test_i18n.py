"""Chinese first, English on request; the zh-Hans catalogue is complete and compiled."""

import gettext
import json
import re
from pathlib import Path

import shegong

LOCALE = Path(shegong.__file__).parent / "locale"
PO = LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO = LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.mo"


def _entries(po_text: str):
    """(msgid, [msgstr…], flags) for every entry but the header."""
    for block in po_text.split("\n\n"):
        lines = block.strip().splitlines()
        flags = " ".join(line for line in lines if line.startswith("#,"))
        current, parts = None, {}
        for line in lines:
            match = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d+\])?) "(.*)"$', line)
            if match:
                current = match.group(1)
                parts[current] = match.group(2)
            elif line.startswith('"') and current:
                parts[current] += line[1:-1]
        if parts.get("msgid"):
            strs = [v for k, v in parts.items() if k.startswith("msgstr")]
            yield parts["msgid"], strs, flags


def test_every_message_has_a_chinese_translation():
    entries = list(_entries(PO.read_text(encoding="utf-8")))
    assert len(entries) > 100
    untranslated = [msgid for msgid, strs, _ in entries if not all(strs)]
    fuzzy = [msgid for msgid, _, flags in entries if "fuzzy" in flags]
    assert untranslated == []
    assert fuzzy == []


def test_compiled_catalogue_matches_the_po_file():
    """The committed .mo is compiled from the current .po (run `make messages`)."""
    with MO.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    for msgid, strs, _ in _entries(PO.read_text(encoding="utf-8")):
        source = json.loads(f'"{msgid}"')
        assert catalogue.gettext(source) == json.loads(f'"{strs[0]}"'), source


def test_login_page_is_chinese_by_default_even_for_an_english_browser(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert "登录社工平台" in html


def test_user_can_switch_to_english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    html = client.get("/accounts/login/").content.decode()
    assert '<html lang="en">' in html
    assert "Log in to Shegong" in html


def test_templates_load_nothing_from_the_internet():
    templates = Path(shegong.__file__).parent.rglob("templates/**/*.html")
    offenders = [
        str(path)
        for path in templates
        if re.search(r'(src|href)="(https?:)?//', path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_filter_labels_stay_chinese_after_the_api_schema_read_them():
    # drf-spectacular builds `base_filters[...].field` before any model is known;
    # that field, copied into every filterset, showed the page "Status" in English.
    from django.utils import translation

    from shegong.surveys.filtersets import SurveyFilterSet
    from shegong.surveys.models import Survey

    assert SurveyFilterSet.base_filters["status"].field.label is None
    with translation.override("zh-hans"):
        form = SurveyFilterSet({}, queryset=Survey.objects.none()).form
        assert [str(form[name].label) for name in ("kind", "status")] == ["类型", "状态"]
