from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from clients.demo import CLIENTS, build_client
from clients.models import Client
from coaching.accounts.models import Coach, User
from coaching.accounts.tokens import hash_token, new_token
from coaching.assessments.models import (
    Assessment,
    AvailabilityWindow,
    BookingRules,
    ContactRequest,
    ScreenOut,
    WaitlistEntry,
)
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
            stages = list(Stage.objects.in_order().default_progression())
            for spec in CLIENTS:
                user = _user(spec.email, spec.first_name, spec.last_name)
                if not Client.objects.filter(user=user).exists():
                    build_client(spec, user=user, coach=coaches[spec.coach_index], stages=stages)
            _availability(coaches, stages)
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


WEEKLY = [
    [(day, time(9), time(12)) for day in range(5)]
    + [(day, time(14), time(17)) for day in range(5)],
    [(1, time(10), time(13)), (3, time(10), time(13)), (5, time(9), time(12))],
]
VIDEO = ["https://meet.example.com/sam-hartley", "https://meet.example.com/priya-nair"]

# (coach index, days from today, hour, name, email, status, where, outcome stage or None)
ASSESSMENTS = [
    (0, 2, 10, "Dan Brooks", "dan@example.com", "booked", "Lower back, right side", None),
    (1, 4, 11, "Eve Carter", "eve@example.com", "booked", "Lower back after sitting", None),
    (0, -3, 9, "Finn Doyle", "finn@example.com", "completed", "Lower back when lifting", 2),
    (0, -2, 15, "Gina Ellis", "gina@example.com", "completed", "Lower back and left hip", None),
    (1, -5, 10, "Hugo Fox", "hugo@example.com", "cancelled", "Stiff back in the mornings", None),
]


def _availability(coaches: list[User], stages: list[Stage]) -> None:
    BookingRules.load()
    for user, windows, video in zip(coaches, WEEKLY, VIDEO, strict=True):
        coach = user.coach_profile
        coach.video_link = video
        coach.save(update_fields=["video_link"])
        if not coach.windows.exists():
            AvailabilityWindow.objects.bulk_create(
                AvailabilityWindow(coach=coach, weekday=d, starts_at=a, ends_at=b)
                for d, a, b in windows
            )
    if Assessment.objects.exists():
        return
    today = timezone.localdate()
    for index, days, hour, name, email, status, where, stage in ASSESSMENTS:
        start = timezone.make_aware(datetime.combine(today + timedelta(days=days), time(hour)))
        outcome = {}
        if stage:
            outcome = {
                "why_in_pain": "Bends through the lower back instead of the hips when lifting.",
                "restricted_movements": "Hip flexion; hinging with a neutral spine.",
                "movements_to_avoid": "Loaded forward bending for now.",
                "movements_to_do": "Kneeling hip thrusts and rock backs daily.",
                "recommended_stage": stages[stage - 1],
                "outcome_recorded_at": start + timedelta(hours=1),
            }
        created = Assessment.objects.create(
            coach=coaches[index].coach_profile,
            starts_at=start,
            ends_at=start + timedelta(minutes=30),
            blocked_until=start + timedelta(minutes=45),
            status=status,
            manage_token_hash=hash_token(new_token()),
            name=name,
            email=email,
            where_it_hurts=where,
            how_long="A few weeks",
            worse_with="Sitting for long",
            goals="Pick up my kids without pain",
            consented_at=start - timedelta(days=3),
            late_cancel=status == "cancelled",
            **outcome,
        )
        if stage:
            # Loaded hinges and the swing wait until the back settles.
            created.avoid_stages.set([stages[4], stages[7]])
    _waitlist_and_screen_outs(coaches, today)


def _waitlist_and_screen_outs(coaches: list[User], today: date) -> None:
    """Two people waiting (one with a time held for them), a few weeks of screen-outs and one
    request to get in touch later."""
    now = timezone.now()
    iris = WaitlistEntry.objects.create(
        email="iris@example.com",
        preferences=[f"{day}-morning" for day in range(5)],
        created_at=now - timedelta(days=2),
    )
    WaitlistEntry.objects.create(
        email="jay@example.com",
        preferences=[f"{day}-evening" for day in range(7)],
        created_at=now - timedelta(days=1),
    )
    start = timezone.make_aware(datetime.combine(today + timedelta(days=3), time(9)))
    Assessment.objects.create(
        coach=coaches[1].coach_profile,
        starts_at=start,
        ends_at=start + timedelta(minutes=30),
        blocked_until=start + timedelta(minutes=45),
        status=Assessment.Status.HELD,
        held_until=now + timedelta(minutes=30),
        manage_token_hash=hash_token(new_token()),
        email=iris.email,
        waitlist_entry=iris,
    )
    monday = today - timedelta(days=today.weekday())
    ScreenOut.objects.bulk_create(
        ScreenOut(tier=tier, week_of=monday - timedelta(weeks=weeks))
        for weeks, tier in [(0, 2), (1, 1), (1, 2), (1, 2), (3, 2)]
    )
    ContactRequest.objects.create(
        name="Kim Lane",
        email="kim@example.com",
        consented_at=now - timedelta(days=4),
        created_at=now - timedelta(days=4),
    )
