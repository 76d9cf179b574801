"""The gate's thresholds get the names the design uses, and the amber ceiling its cap of 5.

Renames keep every stage's values; a ceiling above 5 (never allowed by the
pain-monitoring model) is brought down to 5 before the new constraint holds.
"""

from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps
from django.db.models import F, Q


def cap_ceiling(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    Stage = apps.get_model("exercises", "Stage")
    Stage.objects.filter(amber_ceiling__gt=5).update(amber_ceiling=5)
    Stage.objects.filter(green_floor__gte=5).update(green_floor=4)


class Migration(migrations.Migration):
    dependencies = [("exercises", "0002_seed_hip_hinge")]

    operations = [
        migrations.RemoveConstraint(model_name="stage", name="stage_green_sessions_positive"),
        migrations.RemoveConstraint(model_name="stage", name="stage_pain_thresholds_ordered"),
        migrations.RenameField("stage", "green_sessions_needed", "green_days_needed"),
        migrations.RenameField("stage", "green_max_pain", "green_floor"),
        migrations.RenameField("stage", "amber_max_pain", "amber_ceiling"),
        migrations.AlterField(
            model_name="stage",
            name="green_days_needed",
            field=models.PositiveSmallIntegerField(
                default=3,
                help_text=(
                    "Green days in a row (each decided by its next-morning check-in) to be ready."
                ),
            ),
        ),
        migrations.AlterField(
            model_name="stage",
            name="green_floor",
            field=models.PositiveSmallIntegerField(
                default=2,
                help_text=(
                    "Pain during and after up to this (0-10), or up to the client's pain before "
                    "if higher, can still be green."
                ),
            ),
        ),
        migrations.AlterField(
            model_name="stage",
            name="amber_ceiling",
            field=models.PositiveSmallIntegerField(
                default=5,
                help_text=(
                    "Highest pain during or after (0-10) that is amber; above it is red. At most 5."
                ),
            ),
        ),
        migrations.RunPython(cap_ceiling, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="stage",
            constraint=models.CheckConstraint(
                condition=Q(green_days_needed__gte=1), name="stage_green_days_positive"
            ),
        ),
        migrations.AddConstraint(
            model_name="stage",
            constraint=models.CheckConstraint(
                condition=Q(green_floor__lt=F("amber_ceiling"), amber_ceiling__lte=5),
                name="stage_pain_thresholds_ordered",
            ),
        ),
    ]
