"""History the new program features read, filled for the data that exists at deploy.

- Each existing prescription was in force from when the client entered its stage.
- Stage changes made before this deploy were already emailed (or never will be): the
  undo-window notifier starts from the latest one.
- A client paused or discharged today gets that state on record from now.
"""

from __future__ import annotations

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps
from django.db.models import Min, OuterRef, Subquery
from django.utils import timezone


def fill(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    Client = apps.get_model("clients", "Client")
    Prescription = apps.get_model("clients", "Prescription")
    Assignment = apps.get_model("clients", "StageAssignment")
    StateChange = apps.get_model("clients", "StateChange")
    for prescription in Prescription.objects.all():
        entered = Assignment.objects.filter(
            client_id=prescription.client_id, stage_id=prescription.stage_id
        ).aggregate(first=Min("assigned_at"))["first"]
        if entered is not None:
            Prescription.objects.filter(pk=prescription.pk).update(valid_from=entered)
    latest = Assignment.objects.filter(client_id=OuterRef("pk")).order_by("-assigned_at", "-id")
    Client.objects.update(notified_assignment_id=Subquery(latest.values("pk")[:1]))
    now = timezone.now()
    StateChange.objects.bulk_create(
        StateChange(
            client_id=client.pk,
            state=client.status,
            changed_at=now,
            changed_on=now.date(),
            changed_by_id=client.coach_id,
        )
        for client in Client.objects.exclude(status="active")
    )


class Migration(migrations.Migration):
    dependencies = [("clients", "0008_program_versions_adherence_undo")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
