"""The bench databases, one per size: created on the PostgreSQL server (dropped first with
BENCH_REGENERATE=1), migrated and filled through `python -m bench.cli` in a subprocess
with production's environment, and cleaned up after the run."""

from __future__ import annotations

import json
import os
import subprocess
import time
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from bench import PYTHON, RESULTS, ROOT, BenchError

DB_PREFIX = os.environ.get("BENCH_DB_PREFIX", "bench")


def db_name(size: int) -> str:
    return f"{DB_PREFIX}_{size}"


def safe_url(url: str) -> str:
    """The URL without its password, to print."""
    parts = urlsplit(url)
    netloc = parts.netloc.rsplit("@", 1)
    user = netloc[0].split(":", 1)[0] if len(netloc) == 2 else ""
    host = f"{user}@{netloc[-1]}" if user else netloc[-1]
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def ensure_database(
    server_url: str, size: int, *, regenerate: bool, name: str | None = None
) -> None:
    """The size's database (or `name`) exists on the server (dropped and created again to
    regenerate)."""
    import psycopg

    name = name or db_name(size)
    try:
        with psycopg.connect(f"{server_url}/postgres", autocommit=True) as conn:
            if regenerate:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not found:
                conn.execute(f'CREATE DATABASE "{name}"')
                print(f"   created database {name}")
    except psycopg.Error as exc:
        raise BenchError(f"cannot reach PostgreSQL at {safe_url(server_url)}: {exc}") from exc


def app_env(database_url: str, secret: str) -> dict[str, str]:
    """Production's environment: DEBUG off, every required variable set, behind TLS."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DEBUG="false",
        SECRET_KEY=secret,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=database_url,
        EMAIL_HOST="127.0.0.1",
        SITE_URL="https://studio.example.com",
        BEHIND_TLS_PROXY="true",
        TASKS_BACKEND="database",  # emails and alerts are only queued, never sent
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    return env


def _python(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Our Python in the repository's root with the database's environment, output kept."""
    return subprocess.run([PYTHON, *args], cwd=ROOT, env=env, capture_output=True, text=True)


def manage(args: list[str], env: dict[str, str], what: str) -> None:
    began = time.perf_counter()
    done = _python(["manage.py", *args], env)
    if done.returncode:
        raise BenchError(f"{what} failed:\n{done.stdout}{done.stderr}")
    print(f"   {what}: {time.perf_counter() - began:.1f} s")


def prepare_database(size: int, env: dict[str, str], name: str | None = None) -> dict[str, Any]:
    """Build the studio if it is missing, say what was done, and return its manifest.

    `name` is the database's name when it is not the size's usual one (db_name(size))."""
    name = name or db_name(size)
    path = RESULTS / f"manifest-{name}.json"
    print(f"   {name}: checking the data (built on the first run: that takes minutes)")
    done = _python(
        ["-m", "bench.cli", "prepare", "--clients", str(size), "--manifest", str(path)], env
    )
    if done.returncode:
        raise BenchError(f"preparing {name} failed:\n{done.stdout}{done.stderr}")
    info: dict[str, Any] = json.loads(path.read_text())
    if info["generated_now"]:
        print(f"   {name}: generated in {info['generation_s']:.1f} s")
    else:
        print(f"   {name}: reusing the data generated on {info['generated_on']}")
    if info["leftover_sessions_removed"]:
        print(
            f"   {name}: removed {info['leftover_sessions_removed']} sessions left by "
            "an interrupted run"
        )
    for command in ("recompute_gate", "tick"):
        if info[f"{command}_s"] is not None:
            print(f"   {name}: manage.py {command} took {info[f'{command}_s']:.1f} s")
    age = (datetime.now().date() - datetime.fromisoformat(info["generated_on"]).date()).days
    if age > 7:
        print(
            f"   note: {name}'s data is {age} days old, so its clients have drifted "
            "quiet; BENCH_REGENERATE=1 builds it afresh"
        )
    if info["clients"] != size:
        raise BenchError(f"{name} holds {info['clients']} clients, not {size}.")
    return info


def clean_up_database(size: int, env: dict[str, str]) -> dict[str, Any]:
    """Remove what the POSTs added; on failure the next run removes it before measuring."""
    path = RESULTS / f"manifest-{db_name(size)}.json"
    try:
        # The code may have moved on during the run (a new migration): catch up first.
        manage(["migrate", "--no-input", "-v", "0"], env, f"migrate {db_name(size)}")
    except BenchError as exc:
        print(f"   clean-up of {db_name(size)} skipped (the next run does it): {exc}")
        return {"error": str(exc)[-500:]}
    done = _python(["-m", "bench.cli", "cleanup", "--manifest", str(path)], env)
    if done.returncode:
        tail = "\n".join(done.stderr.strip().splitlines()[-3:])
        print(f"   clean-up of {db_name(size)} failed (the next run does it):\n{tail}")
        return {"error": done.stderr[-500:]}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"   {db_name(size)}: removed the {result['deleted_sessions']} sessions the bench logged")
    return result


def manifest_summary(info: dict[str, Any]) -> dict[str, Any]:
    """What the report keeps of a database's manifest."""
    keep = [
        "clients",
        "clients_per_coach",
        "sessions",
        "assignments",
        "regressions",
        "signoffs",
        "assessments",
        "generated_on",
        "generated_now",
        "generation_s",
        "recompute_gate_s",
        "leftover_sessions_removed",
        "tick_s",
        "detail",
        "surname",
    ]
    return {key: info[key] for key in keep}
