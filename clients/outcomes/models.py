"""Outcome measures the client answers over time: does the program make a difference?

Both measures are free to use. The Patient-Specific Functional Scale (PSFS,
Stratford et al. 1995): the client names three activities their back makes hard
and scores each 0-10 (10 = able to do it as before), then scores the same three
again every four weeks. And a weekly rating of back pain on average over the
past week, 0-10 (0 = none).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from clients.audit.services import register
from clients.models.records import PAIN_VALIDATORS, AppendOnlyQuerySet, Client

ACTIVITY_MAX_LENGTH = 120


class PsfsAnswer(models.Model):
    """One answer to the PSFS: three activities, each scored 0-10. Kept, never edited."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="psfs_answers")
    answered_at = models.DateTimeField(default=timezone.now)
    answered_on = models.DateField(help_text="The client-day it was answered.")
    activity_1 = models.CharField(max_length=ACTIVITY_MAX_LENGTH)
    activity_2 = models.CharField(max_length=ACTIVITY_MAX_LENGTH)
    activity_3 = models.CharField(max_length=ACTIVITY_MAX_LENGTH)
    score_1 = models.PositiveSmallIntegerField(validators=PAIN_VALIDATORS)
    score_2 = models.PositiveSmallIntegerField(validators=PAIN_VALIDATORS)
    score_3 = models.PositiveSmallIntegerField(validators=PAIN_VALIDATORS)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["answered_on", "id"]
        verbose_name = "PSFS answer"
        constraints = [
            models.UniqueConstraint(fields=["client", "answered_on"], name="psfs_once_a_day"),
            models.CheckConstraint(
                condition=Q(score_1__lte=10, score_2__lte=10, score_3__lte=10),
                name="psfs_scores_0_10",
            ),
            models.CheckConstraint(
                condition=~Q(activity_1="") & ~Q(activity_2="") & ~Q(activity_3=""),
                name="psfs_three_activities",
            ),
        ]

    def __str__(self) -> str:
        # Never the activities: this string is what the audit trail and the admin log show.
        return f"PSFS of client #{self.client_id} on {self.answered_on}"

    def get_additional_data(self) -> dict[str, int | None]:
        """The audit trail files this entry under its client."""
        return {"client_id": self.client_id}

    @property
    def activities(self) -> list[str]:
        return [self.activity_1, self.activity_2, self.activity_3]

    @property
    def scores(self) -> list[int]:
        return [self.score_1, self.score_2, self.score_3]


class WeeklyPain(models.Model):
    """The client's back pain on average over the past week, 0-10; one a week, by Monday."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="weekly_pain")
    week_of = models.DateField(help_text="The Monday of the client-week it was given in.")
    rating = models.PositiveSmallIntegerField(validators=PAIN_VALIDATORS)
    answered_at = models.DateTimeField(default=timezone.now)
    answered_on = models.DateField(help_text="The client-day it was answered.")

    class Meta:
        ordering = ["week_of"]
        verbose_name = "weekly back pain rating"
        constraints = [
            models.UniqueConstraint(fields=["client", "week_of"], name="weekly_pain_once_a_week"),
            models.CheckConstraint(condition=Q(rating__lte=10), name="weekly_pain_0_10"),
        ]

    def __str__(self) -> str:
        return f"Weekly back pain of client #{self.client_id}, week of {self.week_of}"

    def get_additional_data(self) -> dict[str, int | None]:
        """The audit trail files this entry under its client."""
        return {"client_id": self.client_id}


class PsfsReminder(models.Model):
    """The email asking a client to score their three activities again: once per due date."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="+")
    due_on = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "due_on"], name="psfs_reminder_once_per_due")
        ]

    def __str__(self) -> str:
        return f"PSFS reminder to client #{self.client_id}, due {self.due_on}"


register(PsfsAnswer, WeeklyPain)
