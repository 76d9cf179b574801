"""A client's request to have their data erased, until the head coach carries it out."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class ErasureRequest(models.Model):
    """Asked by the client at /me/data/; after the erasure only the dates remain."""

    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="erasure_requests",
    )
    requested_at = models.DateTimeField(default=timezone.now)
    carried_out_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        state = "carried out" if self.carried_out_at else "waiting"
        return f"Erasure request of {self.requested_at:%Y-%m-%d} ({state})"
