"""Each client's existing consent becomes the first entry of their consent history."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

# The wording clients agreed to under version 2026-11 (clients.models.CONSENT_TEXT then).
WORDING_2026_11 = (
    "I agree that the studio may store the health information I give it (pain scores, "
    "where I feel the work, notes about my back) to guide my program. Only my coach and "
    "the studio's staff can see it, and I can ask for it to be deleted at any time."
)


def copy_consents(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    Client = apps.get_model("clients", "Client")
    ConsentRecord = apps.get_model("clients", "ConsentRecord")
    ConsentRecord.objects.bulk_create(
        ConsentRecord(
            client_id=client_id,
            version=version,
            text=WORDING_2026_11 if version == "2026-11" else f"(the {version} consent)",
            given_at=given_at,
        )
        for client_id, version, given_at in Client.objects.filter(
            consented_at__isnull=False
        ).values_list("pk", "consent_version", "consented_at")
    )


class Migration(migrations.Migration):
    dependencies = [("clients", "0006_audit_and_consent_records")]

    operations = [migrations.RunPython(copy_consents, migrations.RunPython.noop)]
