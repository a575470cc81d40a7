"""PostgreSQL: a covering index of the monitoring lines for the recompute (SPEC §14.1).

The pass over payments reads, slice by slice, the lines of each approved report of the run's monitoring
round and computes their completion (``performance.services.monitoring``). With the columns that
computation needs included in the index on ``report_id``, PostgreSQL reads the index alone (an index-only
scan in report order) instead of the wide rows of the table with their cause and measure texts. SQLite
keeps the plain foreign-key index. Kept out of the model's ``Meta.indexes`` like the other
PostgreSQL-only structures (see ``0002_postgresql``).
"""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS monitoring_line_completion_cover ON performance_monitoringline "
    "(report_id) INCLUDE (direction, weight, target_value, expected_value, judgement)"
)
DROP = "DROP INDEX IF EXISTS monitoring_line_completion_cover"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("performance", "0007_monitoring_figures")]

    operations = [migrations.RunPython(create, drop)]
