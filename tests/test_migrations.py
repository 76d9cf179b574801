"""A live database migrates forward with nothing lost.

The database is built by the code of an earlier main itself (its own `migrate`
and `seed_demo`, exported from git), because its demo data can only be made by
its own models; today's code then migrates it, and every row is still there.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import tarfile
import uuid
from collections.abc import Iterator
from contextlib import closing
from io import BytesIO
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.conf import settings
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent

# Mains that deployments may still be on: each must migrate forward to today's code.
LANDED_MAINS = {
    "before the layout change": "6bbce08d94474c6c13dbc6a2b847280f3022ebc7",
}

# What the demo data must still say after the migration, whatever the schema became.
SAMPLES = {
    "users": "SELECT email, first_name, last_name FROM coaching_user ORDER BY email",
    "clients": (
        "SELECT u.email, c.status, c.started_on, c.consent_version FROM clients_client c "
        "JOIN coaching_user u ON u.id = c.user_id ORDER BY u.email"
    ),
    "assignments": (
        "SELECT u.email, a.kind, a.stage_id, a.assigned_at, a.reason "
        "FROM clients_stageassignment a JOIN clients_client c ON c.id = a.client_id "
        "JOIN coaching_user u ON u.id = c.user_id ORDER BY u.email, a.assigned_at, a.id"
    ),
    "sessions": (
        "SELECT u.email, s.performed_on, s.stage_id, s.pain_before, s.pain_during, "
        "s.pain_after, s.next_day_pain, s.sets, s.reps, s.load_kg "
        "FROM clients_trainingsession s JOIN clients_client c ON c.id = s.client_id "
        "JOIN coaching_user u ON u.id = c.user_id ORDER BY u.email, s.performed_on, s.id"
    ),
    "assessments": (
        "SELECT email, status, starts_at, where_it_hurts, why_in_pain "
        "FROM coaching_assessment ORDER BY starts_at"
    ),
    "availability": (
        "SELECT coach_id, weekday, starts_at, ends_at FROM coaching_availabilitywindow "
        "ORDER BY coach_id, weekday, starts_at"
    ),
}


class Scratch:
    """A database of its own, outside the test database, reached by both code versions."""

    def __init__(self, tmp: Path) -> None:
        self.default = settings.DATABASES["default"]
        self.vendor = "sqlite" if "sqlite" in self.default["ENGINE"] else "postgresql"
        self.name = f"migrations_{uuid.uuid4().hex[:12]}"
        self.path = tmp / "scratch.sqlite3"

    @property
    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SQLITE_PATH"}}
        env["DEBUG"] = "true"
        if self.vendor == "sqlite":
            env["SQLITE_PATH"] = str(self.path)
        else:
            d = self.default
            auth = d["USER"] + (f":{d['PASSWORD']}" if d.get("PASSWORD") else "")
            env["DATABASE_URL"] = f"postgres://{auth}@{d['HOST']}:{d['PORT'] or 5432}/{self.name}"
        return env

    def _server(self, dbname: str = "postgres") -> psycopg.Connection[Any]:
        d = self.default
        return psycopg.connect(
            host=d["HOST"],
            port=d["PORT"] or 5432,
            user=d["USER"],
            password=d.get("PASSWORD") or None,
            dbname=dbname,
            autocommit=True,
        )

    def create(self) -> None:
        if self.vendor == "postgresql":
            with closing(self._server()) as server:
                server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.name)))

    def drop(self) -> None:
        if self.vendor == "postgresql":
            with closing(self._server()) as server:
                server.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                        sql.Identifier(self.name)
                    )
                )

    def query(self, statement: str) -> list[tuple[Any, ...]]:
        if self.vendor == "sqlite":
            with closing(sqlite3.connect(self.path)) as db:
                return [tuple(row) for row in db.execute(statement).fetchall()]
        with closing(self._server(self.name)) as db:
            return [tuple(row) for row in db.execute(statement).fetchall()]

    def row_counts(self) -> dict[str, int]:
        if self.vendor == "sqlite":
            tables = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
        else:
            tables = "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
        return {
            name: self.query(f'SELECT COUNT(*) FROM "{name}"')[0][0]
            for (name,) in self.query(tables)
            if name != "django_migrations" and not name.startswith("sqlite_")
        }


def run(code: Path, env: dict[str, str], *args: str) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=code,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"


def export(commit: str, into: Path) -> Path:
    """The tree of an earlier commit, as it was, in a folder of its own."""
    archive = subprocess.run(
        ["git", "archive", "--format=tar", commit],
        cwd=ROOT,
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


@pytest.fixture
def scratch(tmp_path: Path) -> Iterator[Scratch]:
    database = Scratch(tmp_path)
    database.create()
    yield database
    database.drop()


@pytest.mark.parametrize("commit", LANDED_MAINS.values(), ids=LANDED_MAINS.keys())
def test_a_database_with_the_demo_data_migrates_forward_with_nothing_lost(
    commit: str, scratch: Scratch, tmp_path: Path
) -> None:
    """Every table keeps every row, and a sample of values reads the same afterwards."""
    old = export(commit, tmp_path / "old")
    run(old, scratch.env, "migrate", "--no-input")
    run(old, scratch.env, "seed_demo")
    counts_before = scratch.row_counts()
    samples_before = {name: scratch.query(query) for name, query in SAMPLES.items()}
    assert counts_before["clients_trainingsession"] > 20
    assert counts_before["coaching_assessment"] >= 5

    run(ROOT, scratch.env, "migrate", "--no-input")

    counts_after = scratch.row_counts()
    lost = {
        table: (count, counts_after.get(table))
        for table, count in counts_before.items()
        if counts_after.get(table, 0) < count
    }
    assert not lost, f"rows lost in migration (before, after): {lost}"
    for name, query in SAMPLES.items():
        assert scratch.query(query) == samples_before[name], f"{name} changed in migration"
    # The stored gate state the migration filled is what the gate computes from the history.
    run(ROOT, scratch.env, "recompute_gate", "--check")
    # Today's code runs on the migrated data: the demo command sees it as already built.
    run(ROOT, scratch.env, "seed_demo")
    assert (
        scratch.row_counts()["clients_trainingsession"] == (counts_after["clients_trainingsession"])
    )
