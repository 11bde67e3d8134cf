"""On PostgreSQL the audit entries and the access log become tables partitioned by
year of `at` (core/partitioning.py, docs/decisions.md). Nothing on SQLite."""

from django.db import migrations

from shegong.core import partitioning


def partition(apps, schema_editor):
    partitioning.convert(schema_editor, "core_auditentry", "at")
    partitioning.convert(schema_editor, "core_accesslog", "at")


class Migration(migrations.Migration):
    dependencies = [("core", "0004_job")]

    # Partitioned tables are not turned back into plain ones: going back leaves them
    # partitioned, which the models do not see.
    operations = [migrations.RunPython(partition, migrations.RunPython.noop, elidable=False)]
