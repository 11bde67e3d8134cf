"""Pinyin keys of residents' names (姓名拼音), so that "zs", "zhangsan" and "张三"
all find 张三.

The keys are computed once, when a name is written (registration, edit, the
demo's bulk rows, the data migration), and stored in two indexed columns on the
resident; a search compares the typed letters with the stored keys and never
converts names per row per request."""

from __future__ import annotations

import re

from django.db.models import Q
from pypinyin import lazy_pinyin

# Surnames whose reading as a surname differs from the character's usual one.
SURNAME_READINGS = {
    "曾": "zeng",
    "单": "shan",
    "解": "xie",
    "仇": "qiu",
    "朴": "piao",
    "区": "ou",
    "查": "zha",
    "翟": "zhai",
    "乐": "yue",
    "尉": "yu",
    "盖": "ge",
    "缪": "miao",
    "覃": "qin",
    "召": "shao",
    "秘": "bi",
    "种": "chong",
    "黑": "he",
    "万俟": "moqi",
}

_NOT_LETTER = re.compile(r"[^a-z0-9]")
_HAN = re.compile(r"[\u3400-\u9fff]")
# The most letters kept (the columns' widths).
FULL_MAX = 120
INITIALS_MAX = 50


def _syllables(name: str) -> list[str]:
    name = name.strip()
    for surname, reading in SURNAME_READINGS.items():
        if name.startswith(surname):
            rest = name[len(surname) :]
            head = [reading] if len(surname) == 1 else [reading[:2], reading[2:]]
            return head + (lazy_pinyin(rest, v_to_u=False) if rest else [])
    return lazy_pinyin(name, v_to_u=False)


def name_keys(name: str) -> tuple[str, str]:
    """(full pinyin, initials) of `name`, lowercase letters and digits only:
    张三 → ("zhangsan", "zs"); 吕 → ("lv", "l"); letters in the name are kept."""
    full, initials = [], []
    for part in _syllables(name):
        for word in part.split():
            letters = _NOT_LETTER.sub("", word.lower())
            if not letters:
                continue
            full.append(letters)
            # A run of Latin letters (e.g. "Anna") keeps its first letter only.
            initials.append(letters[0])
    return "".join(full)[:FULL_MAX], "".join(initials)[:INITIALS_MAX]


def fill(resident) -> None:
    """Set the resident's pinyin columns from its name (before a save or bulk_create)."""
    resident.name_pinyin, resident.name_initials = name_keys(resident.name)


def name_search(query: str, path: str = "") -> Q:
    """The condition "the resident's name matches `query`": the characters anywhere
    in the name, or the typed letters at the start of the full pinyin or of the
    initials (prefix matches use the columns' indexes). `path` leads from the
    searched model to the resident, e.g. "resident"."""
    prefix = f"{path}__" if path else ""
    query = query.strip()
    condition = Q(**{f"{prefix}name__icontains": query})
    if _HAN.search(query):
        return condition
    letters = _NOT_LETTER.sub("", query.lower().replace("ü", "v"))
    if not re.search("[a-z]", letters):
        return condition  # digits: a phone number, not a name
    return (
        condition
        | Q(**{f"{prefix}name_pinyin__startswith": letters})
        | Q(**{f"{prefix}name_initials__startswith": letters})
    )
