"""What the free assessment found, carried over in full when the visitor became a client."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from clients.models.records import Client
from exercises.models import Stage


class AssessmentSummary(models.Model):
    """The coach's four findings from the assessment, and the stages to avoid for now.

    Written once by "Start program" (coaching.assessments.services.coach.start_program);
    shown to the coach on the client's program and to the client on /me/.
    """

    client = models.OneToOneField(
        Client, on_delete=models.CASCADE, related_name="assessment_summary"
    )
    assessed_on = models.DateField()
    why_in_pain = models.TextField(blank=True)
    restricted_movements = models.TextField(blank=True)
    # The avoid list: stages (exercises) picked from the progression, and free text beside.
    avoid_stages = models.ManyToManyField(Stage, blank=True, related_name="+")
    movements_to_avoid = models.TextField(blank=True)
    movements_to_do = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "assessment summaries"

    def __str__(self) -> str:
        return f"Assessment summary for {self.client}"

    def avoids(self, stage: Stage) -> bool:
        """Is this stage on the avoid list? (Assigning it asks the coach to confirm.)"""
        return self.avoid_stages.filter(pk=stage.pk).exists()
