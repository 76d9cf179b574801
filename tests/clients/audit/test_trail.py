"""The audit trail is append-only: no update or delete in code or in the admin, and every
change names who made it."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient

from clients.audit.models import AuditEntry
from clients.audit.services import record
from clients.models import Client, CoachNote
from coaching.models import User

pytestmark = pytest.mark.django_db


def test_entries_are_never_updated_or_deleted(client_a: Client, coach_a: User) -> None:
    entry = record(actor=coach_a, client=client_a, action="view")
    with pytest.raises(TypeError, match="append-only"):
        AuditEntry.objects.filter(pk=entry.pk).update(object_repr="changed")
    with pytest.raises(TypeError, match="append-only"):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    entry.object_repr = "changed"
    with pytest.raises(TypeError, match="append-only"):
        entry.save()
    with pytest.raises(TypeError, match="append-only"):
        entry.delete()
    assert AuditEntry.objects.get(pk=entry.pk).object_repr == "view"


def test_the_admin_shows_the_trail_read_only(
    client: HttpClient, studio_admin: User, client_a: Client, coach_a: User
) -> None:
    entry = record(actor=coach_a, client=client_a, action="view")
    client.force_login(studio_admin)
    url = "/admin/clients/auditentry/"
    assert client.get(url).status_code == 200
    assert client.get(f"{url}add/").status_code == 403
    assert client.get(f"{url}{entry.pk}/delete/").status_code == 403
    page = client.get(f"{url}{entry.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_a_change_in_the_app_names_who_made_it(
    client: HttpClient, coach_a: User, client_a: Client
) -> None:
    client.force_login(coach_a)
    client.post(f"/coach/clients/{client_a.pk}/notes/", {"note-text": "Sleeps badly this week"})
    note = CoachNote.objects.get(client=client_a)
    entry = AuditEntry.objects.get(content_type__model="coachnote", object_pk=str(note.pk))
    assert entry.actor == coach_a and entry.action == AuditEntry.Action.CREATE
