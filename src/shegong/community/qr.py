"""QR codes as inline SVG, drawn on the server by segno (pinned in pyproject.toml)."""

from __future__ import annotations

import segno
from django.utils.safestring import SafeString, mark_safe


def qr_svg(url: str, scale: int = 4) -> SafeString:
    # segno's own SVG markup, from a URL we build: no user input reaches it unescaped.
    return mark_safe(segno.make(url, error="m").svg_inline(scale=scale))  # noqa: S308
