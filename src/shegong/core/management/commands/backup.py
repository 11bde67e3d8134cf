"""`shegong backup FILE`: the whole database as one portable, gzip'd archive
(see core.backup). Encrypted fields stay encrypted; keep SHEGONG_FIELD_KEY apart."""

import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand
from tqdm import tqdm

from shegong.core import backup


class Command(BaseCommand):
    help = (
        "Write the whole database to FILE (gzip'd JSON lines, engine-neutral: a SQLite "
        "backup restores into PostgreSQL and back). Streams; does not block writers."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the archive to write, e.g. shegong-2026-11-29.jsonl.gz")

    def handle(self, *args, **options):
        path = Path(options["file"])
        partial = path.with_name(path.name + ".partial")
        started = time.monotonic()
        with tqdm(unit=" rows", file=sys.stderr, disable=options["verbosity"] == 0) as bar:
            manifest = backup.backup(partial, progress=bar.update)
        # Renamed only when complete: FILE is never a half-written archive.
        partial.replace(path)
        rows = sum(manifest.values())
        self.stdout.write(
            f"Backed up {rows} rows of {len(manifest)} tables to {path} "
            f"({path.stat().st_size / 1e6:.1f} MB, {time.monotonic() - started:.1f} s)."
        )
