"""Messages between a client and their coaches; the PSFS and the weekly back pain rating."""

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("clients", "0009_program_history"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Message",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("sent_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("text", models.TextField()),
                (
                    "author",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "client",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="messages",
                        to="clients.client",
                    ),
                ),
            ],
            options={
                "ordering": ["sent_at", "id"],
                "indexes": [
                    models.Index(fields=["client", "id"], name="clients_mes_client__8d1b3c_idx")
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("text", ""), _negated=True), name="message_not_empty"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="PsfsAnswer",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("answered_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("answered_on", models.DateField(help_text="The client-day it was answered.")),
                ("activity_1", models.CharField(max_length=120)),
                ("activity_2", models.CharField(max_length=120)),
                ("activity_3", models.CharField(max_length=120)),
                (
                    "score_1",
                    models.PositiveSmallIntegerField(
                        validators=[
                            django.core.validators.MinValueValidator(0),
                            django.core.validators.MaxValueValidator(10),
                        ]
                    ),
                ),
                (
                    "score_2",
                    models.PositiveSmallIntegerField(
                        validators=[
                            django.core.validators.MinValueValidator(0),
                            django.core.validators.MaxValueValidator(10),
                        ]
                    ),
                ),
                (
                    "score_3",
                    models.PositiveSmallIntegerField(
                        validators=[
                            django.core.validators.MinValueValidator(0),
                            django.core.validators.MaxValueValidator(10),
                        ]
                    ),
                ),
                (
                    "client",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="psfs_answers",
                        to="clients.client",
                    ),
                ),
            ],
            options={
                "verbose_name": "PSFS answer",
                "ordering": ["answered_on", "id"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("client", "answered_on"), name="psfs_once_a_day"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("score_1__lte", 10), ("score_2__lte", 10), ("score_3__lte", 10)
                        ),
                        name="psfs_scores_0_10",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("activity_1", ""), _negated=True),
                            models.Q(("activity_2", ""), _negated=True),
                            models.Q(("activity_3", ""), _negated=True),
                        ),
                        name="psfs_three_activities",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="PsfsReminder",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("due_on", models.DateField()),
                ("sent_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "client",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="clients.client",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("client", "due_on"), name="psfs_reminder_once_per_due"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="ReadMarker",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "read_up_to",
                    models.PositiveBigIntegerField(
                        default=0, help_text="The id of the latest message this reader has seen."
                    ),
                ),
                (
                    "emailed_at",
                    models.DateTimeField(
                        blank=True,
                        help_text="When this reader was last emailed about the thread.",
                        null=True,
                    ),
                ),
                (
                    "client",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="clients.client",
                    ),
                ),
                (
                    "reader",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("client", "reader"), name="read_marker_once_per_reader"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="WeeklyPain",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "week_of",
                    models.DateField(help_text="The Monday of the client-week it was given in."),
                ),
                (
                    "rating",
                    models.PositiveSmallIntegerField(
                        validators=[
                            django.core.validators.MinValueValidator(0),
                            django.core.validators.MaxValueValidator(10),
                        ]
                    ),
                ),
                ("answered_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("answered_on", models.DateField(help_text="The client-day it was answered.")),
                (
                    "client",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="weekly_pain",
                        to="clients.client",
                    ),
                ),
            ],
            options={
                "verbose_name": "weekly back pain rating",
                "ordering": ["week_of"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("client", "week_of"), name="weekly_pain_once_a_week"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("rating__lte", 10)), name="weekly_pain_0_10"
                    ),
                ],
            },
        ),
    ]
