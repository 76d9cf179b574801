"""One active free assessment per email, and holds for the waitlist under the overlap rule.

Bookings already in the database keep their place: where one email holds
several active bookings (allowed until now), the earliest stays as it is and
the others are marked `legacy_duplicate`, which the new unique index leaves
out. Nothing is cancelled and no one is emailed.

On PostgreSQL the exclusion constraint of 0004 is widened from booked rows to
booked and held ones, so a hold for the waitlist keeps its time exactly as a
booking does. SQLite has no exclusion constraints; there the booking service
serialises writers instead.
"""

import django.db.models.functions.text
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

EXCLUDE = """
ALTER TABLE coaching_assessment DROP CONSTRAINT IF EXISTS assessment_no_overlap;
ALTER TABLE coaching_assessment
  ADD CONSTRAINT assessment_no_overlap
  EXCLUDE USING gist (
    coach_id WITH =,
    tstzrange(starts_at, blocked_until, '[)') WITH &&
  ) WHERE ({where});
"""
ACTIVE = "status IN ('booked', 'held')"
BOOKED = "status = 'booked'"


def mark_legacy_duplicates(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    Assessment = apps.get_model("coaching", "Assessment")
    seen: set[str] = set()
    for row in (
        Assessment.objects.filter(status="booked").order_by("starts_at", "id").only("id", "email")
    ):
        key = row.email.lower()
        if key in seen:
            Assessment.objects.filter(pk=row.pk).update(legacy_duplicate=True)
        seen.add(key)


def widen_overlap(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(EXCLUDE.format(where=ACTIVE))


def narrow_overlap(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(EXCLUDE.format(where=BOOKED))


class Migration(migrations.Migration):
    dependencies = [("coaching", "0006_assessment_booking_v2")]

    operations = [
        migrations.RunPython(mark_legacy_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="assessment",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("email"),
                condition=models.Q(("legacy_duplicate", False), ("status__in", ("booked", "held"))),
                name="assessment_one_active_per_email",
            ),
        ),
        migrations.AddConstraint(
            model_name="assessment",
            constraint=models.UniqueConstraint(
                condition=models.Q(("outcome_token_hash", ""), _negated=True),
                fields=("outcome_token_hash",),
                name="assessment_outcome_token_unique",
            ),
        ),
        migrations.AddConstraint(
            model_name="assessment",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "held"), _negated=True),
                    ("held_until__isnull", False),
                    _connector="OR",
                ),
                name="assessment_hold_has_an_end",
            ),
        ),
        migrations.RunPython(widen_overlap, narrow_overlap),
    ]
