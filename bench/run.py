"""`make bench`: how the app's pages scale from 20 clients to 2,000, served as in production.

For each size it makes sure a PostgreSQL database exists (bench_2000, bench_20), migrates
it, builds the studio once (bench/data.py; later runs reuse it), then serves each with
gunicorn (3 workers, DEBUG off, WhiteNoise's compressed manifest storage, behind a
pretend TLS proxy), logs in through the login form and times every page: median and p95
at concurrency 1 and 8, with each request's query count from the X-Bench-Queries header
that bench.settings adds. bench/measure.py says how many requests each page gets within
the time budget. It prints a table and writes the same as JSON to bench/results/, then
deletes the sessions its POSTs logged, so every run measures the same data.

Any unexpected status (a redirect to the login page is not a page) or a page without
its marker text stops the run with a message and exit status 1.

Environment (all optional):
    BENCH_DATABASE_URL   PostgreSQL server, without a database name
                         (default postgres://postgres@127.0.0.1:5432)
    BENCH_SIZES          client counts, comma-separated (default 2000,20)
    BENCH_DB_PREFIX      database names are PREFIX_SIZE (default bench: bench_2000, bench_20)
    BENCH_REQUESTS       requests per page (default 200)
    BENCH_SLOW_MS        a page slower than this gets BENCH_SLOW_REQUESTS (default 500)
    BENCH_SLOW_REQUESTS  requests for a slow page (default 20, the least allowed)
    BENCH_BUDGET_SECONDS the measuring's time budget, logins and warm-ups included
                         (default 560, so that it ends within ten minutes; 0: none,
                         every page below BENCH_SLOW_MS gets BENCH_REQUESTS)
    BENCH_REGENERATE=1   drop the bench databases and build them again
"""

from __future__ import annotations

import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from contextlib import ExitStack
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from bench.browser import Browser
from bench.measure import (
    BenchError,
    Limits,
    Result,
    Studio,
    add_ratios,
    classify,
    measure,
    open_studio,
    tasks,
    warm_up,
)
from bench.report import print_table, write_json

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PYTHON = sys.executable
PLAN_RESERVE_S = 10  # for stopping the servers after the last page
DB_PREFIX = os.environ.get("BENCH_DB_PREFIX", "bench")


def db_name(size: int) -> str:
    return f"{DB_PREFIX}_{size}"


@dataclass
class Settings:
    server_url: str
    sizes: list[int]
    limits: Limits
    budget_s: float
    regenerate: bool

    @classmethod
    def from_env(cls) -> Settings:
        server = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432")
        parts = urlsplit(server)
        if parts.scheme not in {"postgres", "postgresql"}:
            raise BenchError(f"BENCH_DATABASE_URL must be a postgres:// URL (got {server!r}).")
        if not re.fullmatch(r"[a-z_][a-z0-9_]*", DB_PREFIX):
            raise BenchError("BENCH_DB_PREFIX may hold only a-z, 0-9 and _.")
        try:
            sizes = [int(s) for s in os.environ.get("BENCH_SIZES", "2000,20").split(",") if s]
            limits = Limits(
                requests=int(os.environ.get("BENCH_REQUESTS", "200")),
                slow_ms=float(os.environ.get("BENCH_SLOW_MS", "500")),
                slow_requests=int(os.environ.get("BENCH_SLOW_REQUESTS", "20")),
            )
            budget = float(os.environ.get("BENCH_BUDGET_SECONDS", "560"))
        except ValueError as exc:
            raise BenchError(f"a BENCH_ setting is not a number: {exc}") from None
        if not sizes or min(sizes) < 9:
            raise BenchError("BENCH_SIZES needs client counts of at least 9 (default 2000,20).")
        return cls(
            server_url=urlunsplit((parts.scheme, parts.netloc, "", "", "")),
            sizes=sorted(set(sizes), reverse=True),
            limits=limits,
            budget_s=budget,
            regenerate=os.environ.get("BENCH_REGENERATE", "") in {"1", "true", "yes"},
        )

    def database_url(self, size: int) -> str:
        return f"{self.server_url}/{db_name(size)}"


def main() -> int:
    started = time.perf_counter()
    stamp = datetime.now().astimezone()
    try:
        settings = Settings.from_env()
        report = run(settings, started)
    except BenchError as exc:
        print(f"\nBENCH FAILED: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nBENCH INTERRUPTED", file=sys.stderr)
        return 130
    path = write_json(report, RESULTS, stamp)
    print_table(report)
    print(f"\nJSON: {path.relative_to(ROOT)}")
    return 0


def run(settings: Settings, started: float) -> dict[str, Any]:
    RESULTS.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(48)
    envs = {size: _app_env(settings.database_url(size), secret) for size in settings.sizes}
    print(f"== Scale benchmark: sizes {settings.sizes}, server {_safe(settings.server_url)}")
    for size in settings.sizes:
        _ensure_database(settings, size)
    _manage(["collectstatic", "--no-input", "-v", "0"], envs[settings.sizes[0]], "collectstatic")
    manifests: dict[int, dict[str, Any]] = {}
    for size in settings.sizes:
        _manage(["migrate", "--no-input", "-v", "0"], envs[size], f"migrate {db_name(size)}")
        manifests[size] = _prepare(size, envs[size])
    setup_s = time.perf_counter() - started

    notes: list[str] = []
    results: list[Result] = []
    began = time.perf_counter()
    try:
        results = _measure_all(settings, manifests, envs, notes, began)
    finally:
        measuring_s = time.perf_counter() - began
        cleanup = {str(size): _cleanup(size, envs[size]) for size in settings.sizes}
    print(f"   measuring took {measuring_s:.0f} s")
    classify(results, settings.limits)
    add_ratios(results)
    return {
        "started_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "settings": {
            "server_url": _safe(settings.server_url),
            "sizes": settings.sizes,
            "budget_s": settings.budget_s,
            **asdict(settings.limits),
        },
        "sizes": {str(size): _summary(info) for size, info in manifests.items()},
        "timings_s": {
            "setup": round(setup_s, 1),
            "generation": {str(s): m["generation_s"] for s, m in manifests.items()},
            "measuring": round(measuring_s, 1),
            "cleanup": cleanup,
            "total": round(time.perf_counter() - started, 1),
        },
        "notes": notes,
        "results": [asdict(r) for r in results],
    }


def _measure_all(
    settings: Settings,
    manifests: dict[int, dict[str, Any]],
    envs: dict[int, dict[str, str]],
    notes: list[str],
    began: float,
) -> list[Result]:
    """Serve every size at once (idle servers cost nothing), warm up all, then measure."""
    try:
        return _serve_and_measure(settings, manifests, envs, notes, began)
    except BenchError as exc:
        raise BenchError(f"{exc}{_server_errors(settings.sizes)}") from None


def _server_errors(sizes: list[int]) -> str:
    """The last exception each server logged, to say why a page failed."""
    found = ""
    for size in sizes:
        log = RESULTS / f"gunicorn-{db_name(size)}.log"
        lines = log.read_text(errors="replace").splitlines() if log.exists() else []
        errors = [line for line in lines if re.match(r"^[\w.]+(Error|Exception)\b", line)]
        if errors:
            found += f"\n   {log.relative_to(ROOT)}: {errors[-1]}"
    return f"\nThe servers' last errors (full tracebacks in the logs):{found}" if found else ""


def _serve_and_measure(
    settings: Settings,
    manifests: dict[int, dict[str, Any]],
    envs: dict[int, dict[str, str]],
    notes: list[str],
    began: float,
) -> list[Result]:
    with ExitStack() as stack:
        studios: list[Studio] = []
        for size in settings.sizes:
            server = stack.enter_context(
                Server(envs[size], RESULTS / f"gunicorn-{db_name(size)}.log")
            )
            studio = open_studio(size, manifests[size], server.port, notes)
            stack.callback(studio.close)
            studios.append(studio)
            print(
                f"   {db_name(size)}: gunicorn on 127.0.0.1:{server.port}, {len(studio.rows)} pages"
            )
        for studio in studios:
            warm_up(studio, settings.limits)
        print(f"   every page answered as expected; warm-up done at {_since(began)}")
        deadline = began + settings.budget_s - PLAN_RESERVE_S if settings.budget_s > 0 else None
        return measure(tasks(studios), deadline, settings.limits, _announce, _progress)


def _announce(studio: Studio, left: float | None) -> None:
    budget = f" (time left in the budget: {left:.0f} s)" if left is not None else ""
    print(f"\n== {studio.size:,} clients{budget}")


def _since(began: float) -> str:
    return f"{time.perf_counter() - began:.0f} s"


def _progress(r: Result) -> None:
    tag = " (slow)" if r.slow else " (time-boxed)" if r.timeboxed else ""
    print(
        f"   c={r.concurrency} {r.page[:36]:<36} {r.who:<10} n={r.n:<3} median "
        f"{r.median_ms:8.1f} ms  p95 {r.p95_ms:8.1f} ms  {r.queries:>5} queries  "
        f"{r.seconds:5.1f} s{tag}",
        flush=True,
    )


# --- Databases and the app's commands ---------------------------------------------------


def _safe(url: str) -> str:
    parts = urlsplit(url)
    netloc = parts.netloc.rsplit("@", 1)
    user = netloc[0].split(":", 1)[0] if len(netloc) == 2 else ""
    host = f"{user}@{netloc[-1]}" if user else netloc[-1]
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def _ensure_database(settings: Settings, size: int) -> None:
    import psycopg

    name = db_name(size)
    try:
        with psycopg.connect(f"{settings.server_url}/postgres", autocommit=True) as conn:
            if settings.regenerate:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not found:
                conn.execute(f'CREATE DATABASE "{name}"')
                print(f"   created database {name}")
    except psycopg.Error as exc:
        raise BenchError(f"cannot reach PostgreSQL at {_safe(settings.server_url)}: {exc}") from exc


def _app_env(database_url: str, secret: str) -> dict[str, str]:
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


def _manage(args: list[str], env: dict[str, str], what: str) -> None:
    began = time.perf_counter()
    done = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode:
        raise BenchError(f"{what} failed:\n{done.stdout}{done.stderr}")
    print(f"   {what}: {time.perf_counter() - began:.1f} s")


def _prepare(size: int, env: dict[str, str]) -> dict[str, Any]:
    path = RESULTS / f"manifest-{db_name(size)}.json"
    print(f"   {db_name(size)}: checking the data (built on the first run: that takes minutes)")
    done = subprocess.run(
        [PYTHON, "-m", "bench.cli", "prepare", "--clients", str(size), "--manifest", str(path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise BenchError(f"preparing {db_name(size)} failed:\n{done.stdout}{done.stderr}")
    info: dict[str, Any] = json.loads(path.read_text())
    if info["generated_now"]:
        print(f"   {db_name(size)}: generated in {info['generation_s']:.1f} s")
    else:
        print(f"   {db_name(size)}: reusing the data generated on {info['generated_on']}")
    if info["leftover_sessions_removed"]:
        print(
            f"   {db_name(size)}: removed {info['leftover_sessions_removed']} sessions left by "
            "an interrupted run"
        )
    for command in ("recompute_gate", "tick"):
        if info[f"{command}_s"] is not None:
            print(f"   {db_name(size)}: manage.py {command} took {info[f'{command}_s']:.1f} s")
    age = (datetime.now().date() - datetime.fromisoformat(info["generated_on"]).date()).days
    if age > 7:
        print(
            f"   note: {db_name(size)}'s data is {age} days old, so its clients have drifted "
            "quiet; BENCH_REGENERATE=1 builds it afresh"
        )
    if info["clients"] != size:
        raise BenchError(f"{db_name(size)} holds {info['clients']} clients, not {size}.")
    return info


def _cleanup(size: int, env: dict[str, str]) -> dict[str, Any]:
    """Remove what the POSTs added; on failure the next run removes it before measuring."""
    path = RESULTS / f"manifest-{db_name(size)}.json"
    try:
        # The code may have moved on during the run (a new migration): catch up first.
        _manage(["migrate", "--no-input", "-v", "0"], env, f"migrate {db_name(size)}")
    except BenchError as exc:
        print(f"   clean-up of {db_name(size)} skipped (the next run does it): {exc}")
        return {"error": str(exc)[-500:]}
    done = subprocess.run(
        [PYTHON, "-m", "bench.cli", "cleanup", "--manifest", str(path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        tail = "\n".join(done.stderr.strip().splitlines()[-3:])
        print(f"   clean-up of {db_name(size)} failed (the next run does it):\n{tail}")
        return {"error": done.stderr[-500:]}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"   {db_name(size)}: removed the {result['deleted_sessions']} sessions the bench logged")
    return result


def _summary(info: dict[str, Any]) -> dict[str, Any]:
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


# --- gunicorn ---------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """gunicorn coaching.wsgi --workers 3 on a free local port, stopped on exit."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env = env
        self.log = log
        self.port = _free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Server:
        command = [
            PYTHON,
            "-m",
            "gunicorn",
            "coaching.wsgi",
            "--workers",
            "3",
            "--bind",
            f"127.0.0.1:{self.port}",
        ]
        with self.log.open("wb") as out:
            self.proc = subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT
            )
        try:
            self._wait_until_up()
        except BaseException:
            self.__exit__()
            raise
        return self

    def _wait_until_up(self) -> None:
        assert self.proc is not None
        deadline = time.monotonic() + 60
        probe = Browser(self.port)
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise BenchError(f"gunicorn exited at start:\n{self._tail()}")
            try:
                if probe.get("/bench/bare/").status == 200:
                    return
            except OSError:
                pass
            finally:
                probe.close()
            time.sleep(0.2)
        raise BenchError(f"gunicorn did not answer within 60 s:\n{self._tail()}")

    def __exit__(self, *exc: object) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    def _tail(self) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-30:])
