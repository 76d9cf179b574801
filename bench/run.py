"""`make bench`: how the app's pages scale from 20 clients to 2,000, served as in production.

For each size it makes sure a PostgreSQL database exists (bench_2000, bench_20), migrates
it, builds the studio once (bench/data/; later runs reuse it), then serves each with
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

import os
import re
import secrets
import sys
import time
from contextlib import ExitStack
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from bench import RESULTS, ROOT, BenchError
from bench.databases import (
    DB_PREFIX,
    app_env,
    clean_up_database,
    db_name,
    ensure_database,
    manage,
    manifest_summary,
    prepare_database,
    safe_url,
)
from bench.measure import Limits, Result, add_ratios, classify, measure, tasks, warm_up
from bench.pages import Studio, open_studio
from bench.report import print_table, write_json
from bench.server import Server

PLAN_RESERVE_S = 10  # for stopping the servers after the last page


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
    envs = {size: app_env(settings.database_url(size), secret) for size in settings.sizes}
    print(f"== Scale benchmark: sizes {settings.sizes}, server {safe_url(settings.server_url)}")
    for size in settings.sizes:
        ensure_database(settings.server_url, size, regenerate=settings.regenerate)
    manage(["collectstatic", "--no-input", "-v", "0"], envs[settings.sizes[0]], "collectstatic")
    manifests: dict[int, dict[str, Any]] = {}
    for size in settings.sizes:
        manage(["migrate", "--no-input", "-v", "0"], envs[size], f"migrate {db_name(size)}")
        manifests[size] = prepare_database(size, envs[size])
    setup_s = time.perf_counter() - started

    notes: list[str] = []
    results: list[Result] = []
    began = time.perf_counter()
    try:
        results = _measure_all(settings, manifests, envs, notes, began)
    except BenchError as exc:
        raise BenchError(f"{exc}{_server_errors(settings.sizes)}") from None
    finally:
        measuring_s = time.perf_counter() - began
        cleanup = {str(size): clean_up_database(size, envs[size]) for size in settings.sizes}
    print(f"   measuring took {measuring_s:.0f} s")
    classify(results, settings.limits)
    add_ratios(results)
    return {
        "started_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "settings": {
            "server_url": safe_url(settings.server_url),
            "sizes": settings.sizes,
            "budget_s": settings.budget_s,
            **asdict(settings.limits),
        },
        "sizes": {str(size): manifest_summary(info) for size, info in manifests.items()},
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
