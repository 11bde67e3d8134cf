"""Where the app's CPU goes under `make load`: py-spy samples of the gunicorn
workers (bench/load.py records them in a pass of its own, after the day and the
baselines, so that they do not disturb the figures), summed by view and by kind of
work.

    py-spy record --pid <gunicorn master> --subprocesses --format raw -o raw.txt
    python bench/profile_summary.py raw.txt        # prints the Markdown tables

Each line of py-spy's raw format is one stack (frames from the outermost, separated
by ";", each "function (file:line)") and how many samples it had. A sample is
given to the view of the request it was in (the first frame of the project's code
below Django's `_get_response`), and to one kind of work, from its frames: the
database driver (psycopg), the ORM (django/db: building and compiling queries,
making rows into objects), templates (Django's and Jinja2), the rest of the view,
or, outside any view, the middleware (session, user, CSRF, locale, audit)."""

from __future__ import annotations

import collections
import re
import sys
from pathlib import Path

FRAME = re.compile(r"^(?P<function>.*) \((?P<file>[^():]+):\d+\)$")
# Each kind of work and the files of its frames, the first that matches winning.
KINDS = (
    ("database driver (psycopg)", ("psycopg/", "psycopg_binary/")),
    ("ORM (queries built, compiled, rows made)", ("django/db/",)),
    ("templates", ("django/template/", "jinja2/", "django/forms/")),
)
VIEW_CODE = "view's own code"
OUTSIDE = "middleware, session, user (outside the view)"
NOT_REQUEST = "not in a request (gunicorn)"


def _parse(frame: str) -> tuple[str, str]:
    found = FRAME.match(frame)
    return (found["function"], found["file"]) if found else (frame, "")


def classify(frames: list[str]) -> tuple[str, str]:
    """(view, kind of work) of one sampled stack."""
    parsed = [_parse(frame) for frame in frames]
    start = next(
        (i for i, (function, _file) in enumerate(parsed) if function.endswith("_get_response")),
        None,
    )
    if start is None:
        inside = any(function.startswith("WSGIHandler.__call__") for function, _ in parsed)
        return ("", OUTSIDE) if inside else ("", NOT_REQUEST)
    # The view: the project's first function below the handler that is not a
    # decorator's wrapper (a closure, such as core.replicas' `wrapped`).
    view = next(
        (
            f"{file.removeprefix('shegong/')} {function}"
            for function, file in parsed[start + 1 :]
            if file.startswith("shegong/") and ".<locals>." not in function
        ),
        "",
    )
    below = parsed[start + 1 :]
    for label, prefixes in KINDS:
        if any(file.startswith(prefixes) for _function, file in below):
            return view, label
    return view, VIEW_CODE


def summarise(raw: str) -> str:
    """The Markdown tables of a py-spy raw profile."""
    by_view: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    kinds: collections.Counter = collections.Counter()
    total = 0
    for line in raw.splitlines():
        stack, _space, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        view, kind = classify(stack.split(";"))
        samples = int(count)
        total += samples
        kinds[kind] += samples
        if view:  # outside a view: the first table's last two rows
            by_view[view][kind] += samples
    if not total:
        return "No samples."
    labels = [label for label, _prefixes in KINDS] + [VIEW_CODE, OUTSIDE]
    lines = [
        f"{total} samples of the gunicorn workers.",
        "",
        "| kind of work | share of the workers' CPU |",
        "|---|---|",
        *(f"| {label} | {kinds[label] / total:.0%} |" for label in [*labels, NOT_REQUEST]),
        "",
        "| view | share of the workers' CPU | " + " | ".join(labels[:-1]) + " |",
        "|---|---|" + "---|" * (len(labels) - 1),
    ]
    for view, counts in sorted(by_view.items(), key=lambda item: -sum(item[1].values())):
        samples = sum(counts.values())
        shares = " | ".join(f"{counts[label] / samples:.0%}" for label in labels[:-1])
        lines.append(f"| {view} | {samples / total:.1%} | {shares} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(summarise(Path(sys.argv[1]).read_text()))
