"""Headless Chromium for browser tests (Playwright driving Debian's chromium).

Without Chromium the browser tests skip with a message saying how to install it,
except where SHEGONG_REQUIRE_BROWSER=1 (CI), where they fail instead.
"""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM_ARGS = [
    # CI runs as root, where Chromium's sandbox cannot start.
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Keep the browser from calling out: the machine has no network.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def chromium_path() -> str | None:
    for candidate in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser"):
        if candidate and (found := shutil.which(candidate)):
            return found
    return None


def require_chromium() -> str:
    path = chromium_path()
    if path is None:
        message = (
            "Chromium not found: install Debian's `chromium` package "
            "(apt-get install chromium) to run the browser tests."
        )
        if os.environ.get("SHEGONG_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return path


@contextmanager
def chromium(extra_args: tuple[str, ...] = ()):
    """A headless Chromium for one test; extra_args e.g. a fake camera."""
    from playwright.sync_api import sync_playwright

    executable = require_chromium()
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=executable, args=[*CHROMIUM_ARGS, *extra_args])
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture
def browser(monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the test's own
    # database calls are synchronous and safe here.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with chromium() as instance:
        yield instance


def fake_camera_args(image, path: Path) -> tuple[str, ...]:
    """Chromium's switches for a camera that films `image` (a PIL image), written
    to `path` as a one-frame YUV4MPEG2 clip that Chromium loops."""
    gray = image.convert("L")
    width, height = gray.size
    with path.open("wb") as clip:
        clip.write(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode())
        clip.write(b"FRAME\n")
        clip.write(gray.tobytes())
        # No colour: both chroma planes at their middle value.
        clip.write(bytes([128]) * ((width // 2) * (height // 2) * 2))
    return (
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={path}",
    )


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def log_in(page, base_url: str, username: str) -> None:
    """Log in through the log-in form, as a person does, and land on the home page."""
    from tests.conftest import PASSWORD

    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/")
