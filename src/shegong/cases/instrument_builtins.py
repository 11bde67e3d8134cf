"""The built-in assessment tools, seeded by the data migration of the tools
(cases 0007). Labels are English msgids (translated in locale/zh_Hans).

The Barthel index 巴氏指数 uses the published item scores of Mahoney & Barthel
(1965) on the 0–100 scale: feeding 0/5/10, bathing 0/5, grooming 0/5, dressing
0/5/10, bowels 0/5/10, bladder 0/5/10, toilet use 0/5/10, transfers 0/5/10/15,
mobility 0/5/10/15, stairs 0/5/10."""

from __future__ import annotations

from django.utils.translation import gettext_noop as N_

UNABLE = N_("Unable / dependent")
NEEDS_HELP = N_("Needs help")
INDEPENDENT = N_("Independent")
MAJOR_HELP = N_("Major help")
MINOR_HELP = N_("Minor help")
WHEELCHAIR = N_("Wheelchair independent")
INCONTINENT = N_("Incontinent")
OCCASIONAL = N_("Occasional accident")
CONTINENT = N_("Continent")
NO_NEED = N_("No")
NEED = N_("Yes")
RISK_NONE = N_("None")
RISK_SOME = N_("Some")
RISK_SERIOUS = N_("Serious")


def _options(*pairs: tuple[int, str]) -> list[dict]:
    return [{"score": score, "label": label} for score, label in pairs]


def _item(key: str, label: str, *pairs: tuple[int, str]) -> dict:
    return {"key": key, "label": label, "options": _options(*pairs)}


def _band(low: int, high: int, label: str) -> dict:
    return {"min": low, "max": high, "label": label}


THREE = ((0, UNABLE), (5, NEEDS_HELP), (10, INDEPENDENT))
TWO = ((0, UNABLE), (5, INDEPENDENT))
CONTINENCE = ((0, INCONTINENT), (5, OCCASIONAL), (10, CONTINENT))

BARTHEL = {
    "code": "barthel",
    "name": N_("Barthel index (activities of daily living)"),
    "domain": "elderly",
    "description": N_("Ten activities of daily living, 0–100; a lower total needs more care."),
    "items": [
        _item("feeding", N_("Feeding"), *THREE),
        _item("bathing", N_("Bathing"), *TWO),
        _item("grooming", N_("Grooming"), *TWO),
        _item("dressing", N_("Dressing"), *THREE),
        _item("bowels", N_("Bowels"), *CONTINENCE),
        _item("bladder", N_("Bladder"), *CONTINENCE),
        _item("toilet", N_("Toilet use"), *THREE),
        _item(
            "transfers",
            N_("Transfers (bed to chair and back)"),
            (0, UNABLE),
            (5, MAJOR_HELP),
            (10, MINOR_HELP),
            (15, INDEPENDENT),
        ),
        _item(
            "mobility",
            N_("Mobility on level surfaces"),
            (0, UNABLE),
            (5, WHEELCHAIR),
            (10, NEEDS_HELP),
            (15, INDEPENDENT),
        ),
        _item("stairs", N_("Stairs"), *THREE),
    ],
    "bands": [
        _band(0, 20, N_("Total dependence")),
        _band(21, 60, N_("Severe dependence")),
        _band(61, 90, N_("Moderate dependence")),
        _band(91, 99, N_("Slight dependence")),
        _band(100, 100, N_("Independent")),
    ],
}

YES_NO = ((0, NO_NEED), (1, NEED))
CHECKLIST_BANDS = [
    _band(0, 0, N_("No need identified")),
    _band(1, 2, N_("Some needs")),
    _band(3, 5, N_("Many needs")),
]


def _checklist(code: str, name: str, domain: str, needs: list[tuple[str, str]]) -> dict:
    return {
        "code": code,
        "name": name,
        "domain": domain,
        "description": N_("One point for each need found; the total is the number of needs."),
        "items": [_item(key, label, *YES_NO) for key, label in needs],
        "bands": CHECKLIST_BANDS,
    }


NEEDS_ELDERLY = _checklist(
    "needs-elderly",
    N_("Needs checklist: elderly"),
    "elderly",
    [
        ("meals", N_("Needs help with meals")),
        ("health", N_("Needs help with health care or medicine")),
        ("alone", N_("Lives alone or without daily support")),
        ("housing", N_("Home is unsafe (falls, fire, repairs)")),
        ("social", N_("Lonely or cut off from others")),
    ],
)
NEEDS_FAMILY = _checklist(
    "needs-family",
    N_("Needs checklist: family"),
    "family",
    [
        ("income", N_("Money problems")),
        ("conflict", N_("Conflict in the family")),
        ("care", N_("A member needs care the family cannot give")),
        ("children", N_("Difficulty bringing up the children")),
        ("housing", N_("Housing problems")),
    ],
)
NEEDS_YOUTH = _checklist(
    "needs-youth",
    N_("Needs checklist: youth"),
    "youth",
    [
        ("school", N_("Difficulty at school")),
        ("family", N_("Difficulty at home")),
        ("peers", N_("Difficulty with friends or bullying")),
        ("mood", N_("Low mood or anxiety")),
        ("safety", N_("Unsafe behaviour (drugs, running away, online risks)")),
    ],
)

RISK_LEVELS = ((0, RISK_NONE), (1, RISK_SOME), (2, RISK_SERIOUS))
RISK_SCREEN = {
    "code": "risk-screen",
    "name": N_("Risk screen"),
    "domain": "",
    "description": N_("Five risks, each none (0), some (1) or serious (2); total 0–10."),
    "items": [
        _item("self_harm", N_("Thoughts or acts of self-harm"), *RISK_LEVELS),
        _item("violence", N_("Violence or abuse at home"), *RISK_LEVELS),
        _item("neglect", N_("Neglect: basic needs not met"), *RISK_LEVELS),
        _item("health", N_("Serious illness without care"), *RISK_LEVELS),
        _item("crisis", N_("A crisis now (loss, eviction, debt)"), *RISK_LEVELS),
    ],
    "bands": [
        _band(0, 3, N_("Low")),
        _band(4, 6, N_("Medium")),
        _band(7, 10, N_("High")),
    ],
}

BUILTINS = [BARTHEL, NEEDS_ELDERLY, NEEDS_FAMILY, NEEDS_YOUTH, RISK_SCREEN]


def seed(instrument_model) -> int:
    """Create or update the built-in tools (by code); the number written."""
    for spec in BUILTINS:
        fields = {k: v for k, v in spec.items() if k != "code"}
        instrument_model.objects.update_or_create(code=spec["code"], defaults=fields)
    return len(BUILTINS)
