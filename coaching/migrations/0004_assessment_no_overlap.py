"""On PostgreSQL, make overlapping active bookings of one coach impossible.

An exclusion constraint over the coach and the booked range (the session plus
its buffer), for active bookings only. SQLite has no exclusion constraints;
there the booking service serialises writers instead.
"""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE coaching_assessment
  ADD CONSTRAINT assessment_no_overlap
  EXCLUDE USING gist (
    coach_id WITH =,
    tstzrange(starts_at, blocked_until, '[)') WITH &&
  ) WHERE (status = 'booked');
"""
DROP = "ALTER TABLE coaching_assessment DROP CONSTRAINT IF EXISTS assessment_no_overlap;"


def forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("coaching", "0003_booking")]
    operations = [migrations.RunPython(forwards, backwards)]
