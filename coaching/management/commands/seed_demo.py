from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from clients.demo import CLIENTS, build_client
from clients.models import Client
from coaching.models import Coach, User
from exercises.models import Stage

DEMO_PASSWORD = "demo-pass-123"

COACHES = [
    ("coach@example.com", "Sam", "Hartley", True),
    ("coach2@example.com", "Priya", "Nair", False),
]
ADMIN_EMAIL = "admin@example.com"


class Command(BaseCommand):
    help = "Build a believable demo studio (development only). Safe to run again."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("seed_demo only runs with DEBUG on: it creates known passwords.")
        with transaction.atomic():
            coaches = []
            for email, first, last, head in COACHES:
                user = _user(email, first, last)
                Coach.objects.update_or_create(user=user, defaults={"is_head_coach": head})
                coaches.append(user)
            stages = list(Stage.objects.in_order().filter(progression__slug="hip-hinge"))
            for spec in CLIENTS:
                user = _user(spec.email, spec.first_name, spec.last_name)
                if not Client.objects.filter(user=user).exists():
                    build_client(spec, user=user, coach=coaches[spec.coach_index], stages=stages)
            admin = _user(ADMIN_EMAIL, "Studio", "Admin")
            admin.is_staff = admin.is_superuser = True
            admin.save(update_fields=["is_staff", "is_superuser"])
        self.stdout.write(self.style.SUCCESS("Demo studio ready. Logins (password demo-pass-123):"))
        self.stdout.write(f"  coach:  {COACHES[0][0]}  (head coach)")
        self.stdout.write(f"  coach:  {COACHES[1][0]}")
        self.stdout.write(f"  client: {CLIENTS[0].email}")
        self.stdout.write(f"  admin:  {ADMIN_EMAIL}  (/admin/)")
        self.stdout.write(f"  ({len(CLIENTS)} demo clients in all, e.g. {CLIENTS[1].email})")


def _user(email: str, first: str, last: str) -> User:
    user, created = User.objects.get_or_create(
        email=email, defaults={"first_name": first, "last_name": last}
    )
    if created or not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user
