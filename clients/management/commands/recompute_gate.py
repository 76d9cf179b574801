"""Recompute every client's gate from their history and report what differs from what is stored.

Stored lights are taken as given (history is never re-coloured); undecided
sessions and every client's status are recomputed. With --check nothing is
written and any difference exits 1: there should be none after `tick`. This
command never alerts anyone.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Max

from clients import gate
from clients.models import Client, TrainingSession


class Command(BaseCommand):
    help = "Recompute stored gate state from history; --check only reports differences."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check", action="store_true", help="Write nothing; exit 1 on any difference."
        )

    def handle(self, *args: Any, check: bool = False, **options: Any) -> None:
        differences = 0
        ids = Client.objects.filter(stage__isnull=False).order_by("pk").values_list("pk", flat=True)
        last_logged = dict(
            TrainingSession.objects.values("client")
            .annotate(day=Max("performed_on"))
            .values_list("client", "day")
        )
        for client_id, stored in Client.objects.values_list("pk", "last_session_on"):
            if stored != last_logged.get(client_id):
                differences += 1
                self.stdout.write(
                    f"client {client_id}: last_session_on now {last_logged.get(client_id)!r}"
                )
                if not check:
                    Client.objects.filter(pk=client_id).update(
                        last_session_on=last_logged.get(client_id)
                    )
        for client_id in ids:
            outcome = gate.refresh_by_id(client_id, alert=False, dry_run=check)
            for session_id, decision in outcome.sessions.items():
                differences += 1
                self.stdout.write(
                    f"client {client_id}: session {session_id} undecided, now {decision.light}"
                )
            for name, value in outcome.client.items():
                if name.startswith("_") or name == "gate_since":
                    continue
                differences += 1
                self.stdout.write(f"client {client_id}: {name} now {value!r}")
        verb = "found" if check else "fixed"
        self.stdout.write(f"{len(ids)} clients checked, {differences} differences {verb}.")
        if check and differences:
            raise CommandError(f"{differences} differences between stored and recomputed state.")
