"""`shegong restore FILE`: load a `shegong backup` archive into an empty, migrated
database, all or nothing; then verify row counts and run the checks the apps
registered (`backup.register_restore_check`: the statistics rollups)."""

import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from shegong.core import backup


class Command(BaseCommand):
    help = (
        "Restore FILE (made by `shegong backup`) into this database, which must be "
        "migrated to the same version and empty. One transaction: all rows or none."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="an archive written by `shegong backup`")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        started = time.monotonic()
        try:
            with tqdm(unit=" rows", file=sys.stderr, disable=options["verbosity"] == 0) as bar:
                result = backup.restore(path, progress=bar.update)
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        # What the caches hold (organisation names, rate counts, sessions) described
        # the database before: they start afresh with the restored one.
        for alias in {"default", settings.SESSION_CACHE_ALIAS}:
            caches[alias].clear()
        rows = sum(result.tables.values())
        self.stdout.write(
            f"Restored {rows} rows into {len(result.tables)} tables "
            f"in {time.monotonic() - started:.1f} s; every table's row count "
            "matches the backup's manifest."
        )
        for check in backup.restore_checks():
            passed, sentence = check()
            if not passed:
                raise CommandError(sentence)
            self.stdout.write(sentence)
