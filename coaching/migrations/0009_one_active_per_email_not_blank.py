"""The one-active-booking-per-email index leaves out blank emails: the retention purge
empties the email of old bookings that never led to a client, and two such bookings left
"booked" (never marked attended or no-show) must not collide on an empty address."""

import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("coaching", "0008_erasure_requests")]

    operations = [
        migrations.RemoveConstraint(
            model_name="assessment",
            name="assessment_one_active_per_email",
        ),
        migrations.AddConstraint(
            model_name="assessment",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("email"),
                condition=models.Q(
                    ("legacy_duplicate", False),
                    ("status__in", ("booked", "held")),
                    models.Q(("email", ""), _negated=True),
                ),
                name="assessment_one_active_per_email",
            ),
        ),
    ]
