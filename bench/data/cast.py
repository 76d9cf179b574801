"""Who is in the benchmark's studio: the logins the benchmark uses, the four coaches with
their weekly windows, and the names everyone else is given."""

from __future__ import annotations

from datetime import time
from typing import Any

from clients.models import Client

DOMAIN = "bench.example.com"
PASSWORD = "bench-scale-pass-123"  # a throwaway benchmark database's password, not a secret
HEAD_COACH_EMAIL = f"head.coach@{DOMAIN}"
BUSY_COACH_EMAIL = f"busy.coach@{DOMAIN}"
ME_EMAIL = f"me@{DOMAIN}"
POST_EMAILS = tuple(f"post{i}@{DOMAIN}" for i in range(1, 9))
PROGRESSION = "hip-hinge"

# (email, first name, last name, head coach); each coach holds a quarter of the clients.
COACHES = [
    (HEAD_COACH_EMAIL, "Hannah", "Whitfield", True),
    (BUSY_COACH_EMAIL, "Marcus", "Bellamy", False),
    (f"coach3@{DOMAIN}", "Ingrid", "Salvesen", False),
    (f"coach4@{DOMAIN}", "Tariq", "Osei", False),
]
BUSY, THIRD, FOURTH = 1, 2, 3

# Weekly windows per coach (weekday, from, until): booking offers the next 21 days of them.
WINDOWS = [
    [(d, time(9), time(12)) for d in range(5)],
    [(d, time(14), time(17, 30)) for d in range(5)],
    [(1, time(10), time(13)), (3, time(10), time(13)), (5, time(9), time(12))],
    [(0, time(16), time(19)), (2, time(16), time(19)), (4, time(8), time(11))],
]

FIRST_NAMES = [
    "Amara", "Bruno", "Carys", "Dmitri", "Esme", "Felix", "Greta", "Hamish", "Isla", "Jonah",
    "Keira", "Lionel", "Maya", "Nikhil", "Orla", "Pavel", "Quinn", "Rosa", "Silas", "Tamsin",
    "Umar", "Vera", "Wilf", "Xena", "Yusuf", "Zara", "Aled", "Bea", "Cormac", "Delphine",
    "Emeka", "Freya", "Gideon", "Hattie", "Idris", "Juno", "Kofi", "Lorna", "Magnus", "Nell",
]  # fmt: skip
LAST_NAMES = [
    "Abernethy", "Barraclough", "Castellano", "Drummond", "Eriksen", "Fairbairn", "Galloway",
    "Hargreaves", "Iwasaki", "Jankowski", "Kavanagh", "Lindqvist", "Montgomery", "Nakashima",
    "Oyelaran", "Pemberton", "Quartermain", "Rasmussen", "Sutherland", "Thorvaldsen",
    "Urquhart", "Villanueva", "Wainwright", "Yardley", "Zielinski", "Ashcombe", "Blackwood",
    "Crowther", "Delacroix", "Ellingham", "Fitzgerald", "Grimshaw", "Holloway", "Ingleby",
    "Kettering", "Llewellyn", "Mortimer", "Northcote", "Ormsby", "Prendergast",
]  # fmt: skip


def bench_clients() -> Any:
    return Client.objects.filter(user__email__endswith=f"@{DOMAIN}")
