"""core.cached: a group's lists come from this process's copy of the current
generation, asking the shared cache only for the generation; a change, a flushed
cache or a restarted Redis never serves what was kept before; every call gets its
own copy."""

from __future__ import annotations

from django.core.cache import cache

from shegong.core import cached


def test_a_kept_value_is_a_fresh_copy_and_costs_one_cache_read(monkeypatch):
    reads: list[int] = []

    def read():
        reads.append(1)
        return ["沙园社区", "南石头社区"]

    first = cached.cached("test-group", "names", read)
    first.append("changed by the caller")
    asked: list[str] = []
    real_get = cache.get
    monkeypatch.setattr(
        cache, "get", lambda key, *a, **k: asked.append(key) or real_get(key, *a, **k)
    )
    assert cached.cached("test-group", "names", read) == ["沙园社区", "南石头社区"]
    assert len(reads) == 1 and asked == ["test-group:generation"]


def test_a_change_or_a_flushed_cache_reads_again():
    values = iter(["first", "second", "third"])
    assert cached.cached("test-flush", "x", lambda: next(values)) == "first"
    assert cached.cached("test-flush", "x", lambda: next(values)) == "first"
    cached._bump("test-flush")
    assert cached.cached("test-flush", "x", lambda: next(values)) == "second"
    # Redis flushed or restarted: the generation starts again at a number no
    # process has kept, not at 1.
    cache.clear()
    assert cached.cached("test-flush", "x", lambda: next(values)) == "third"
