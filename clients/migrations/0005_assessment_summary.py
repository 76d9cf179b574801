"""The assessment's outcome, carried over in full to the client record by "Start program"
(the four findings and the stages to avoid). Written by the assessment work (issue 12):
renumber freely if another clients migration lands first."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("clients", "0004_gate_v2_state"),
        ("exercises", "0002_seed_hip_hinge"),
    ]

    operations = [
        migrations.CreateModel(
            name="AssessmentSummary",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("assessed_on", models.DateField()),
                ("why_in_pain", models.TextField(blank=True)),
                ("restricted_movements", models.TextField(blank=True)),
                ("movements_to_avoid", models.TextField(blank=True)),
                ("movements_to_do", models.TextField(blank=True)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "avoid_stages",
                    models.ManyToManyField(blank=True, related_name="+", to="exercises.stage"),
                ),
                (
                    "client",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="assessment_summary",
                        to="clients.client",
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "assessment summaries",
            },
        ),
    ]
