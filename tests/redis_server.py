"""A real redis-server on loopback for the shared-cache tests (started and stopped
by the test itself). Tests that need it skip when Debian's redis-server is not
installed, except where SHEGONG_REQUIRE_REDIS=1 (CI), where they must run."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

REDIS = shutil.which("redis-server")


def skip_without_redis() -> None:
    if REDIS is None and os.environ.get("SHEGONG_REQUIRE_REDIS") != "1":
        pytest.skip(
            "redis-server is not installed (apt-get install redis-server)",
            allow_module_level=True,
        )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    process.kill()
    raise RuntimeError(f"{process.args[0]} did not listen on {port}")


def start_redis(port: int, folder: Path) -> subprocess.Popen:
    assert REDIS, "redis-server is required here (SHEGONG_REQUIRE_REDIS=1)"
    server = subprocess.Popen(  # noqa: S603 (Debian's redis-server, loopback only)
        [REDIS, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", str(folder)],
        stdout=subprocess.DEVNULL,
    )
    wait_for_port(port, server, seconds=10)
    return server


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
