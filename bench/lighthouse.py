"""`make lighthouse`: Lighthouse mobile scores of the phone pages, served as in production.

The budgets (DESIGN.md, "Front end and budgets"): on /me/ and /me/log/ (a client logged
in) and /assessment/ (a visitor), performance >= 95, accessibility 100 and best practices
100, the median of 3 runs of Lighthouse's mobile preset (simulated slow 4G and a 4x
slower CPU) against a production-like server. It is a benchmark, not a test: `make test`
never runs it, and a score under budget is reported, not an error.

The server is the scale benchmark's (bench/run.py, bench/server.py) with a database of its
own, bench_lighthouse: 20 clients, built on the first run and then reused, and every
exercise given a video, captions and a 10 KB poster (`python -m bench.cli media`), as
every stage will have them, so /me/ loads its poster. Static files are collected into
WhiteNoise's compressed manifest storage and gunicorn runs with DEBUG off, serving
bench.tls_proxy: the app as the TLS proxy hands it over (X-Forwarded-Proto: https on
every request, pages gzipped). The client logs in through the real login form
(bench/pages.py) and, once, sends the time zone /me/ asks for on a first visit; then
Lighthouse sends the session cookie with the page's requests (`--extra-headers`), as a
browser would not send a Secure cookie over plain http. Each run is a fresh Chromium
profile, so every load is a cold one (no cache, no service worker yet).

It prints, per page, the median of each score and of LCP, TBT, CLS and the bytes
transferred (all, and JavaScript: the phone pages' budget is 60 kB, 20 kB of it script),
then, for a page under budget, the audits that cost it points. The reports of every run
are kept in bench/results/lighthouse/. The exit status is 1 only when something could not
run (the server, a login, Lighthouse itself).

Environment (all optional):
    BENCH_DATABASE_URL   PostgreSQL server, without a database name
                         (default postgres://postgres@127.0.0.1:5432)
    LIGHTHOUSE_RUNS      runs per page (default 3)
    CHROME_PATH          the browser (default /usr/bin/chromium)
    BENCH_REGENERATE=1   drop bench_lighthouse and build it again
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bench import PYTHON, RESULTS, ROOT, BenchError
from bench.browser import Browser, find_form
from bench.databases import (
    DB_PREFIX,
    app_env,
    ensure_database,
    manage,
    prepare_database,
    safe_url,
)
from bench.pages import MARKERS, checked, log_in
from bench.server import Server

SIZE = 20  # clients: /me/ reads one client, whatever the studio's size
DATABASE = f"{DB_PREFIX}_lighthouse"  # its own, as the first visit below changes the client
LIGHTHOUSE = ROOT / "bench" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
REPORTS = RESULTS / "lighthouse"
RUN_TIMEOUT_S = 240
ATTEMPTS = 3  # per run, when Lighthouse itself fails (it sometimes loses the trace)
CATEGORIES = ("performance", "accessibility", "best-practices")
BUDGET = {"performance": 95, "accessibility": 100, "best-practices": 100}
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run"
)


@dataclass(frozen=True)
class Target:
    path: str
    who: str  # "client" (logged in) or "visitor"

    @property
    def slug(self) -> str:
        return self.path.strip("/").replace("/", "-") or "home"


TARGETS = (
    Target("/me/", "client"),
    Target("/me/log/", "client"),
    Target("/assessment/", "visitor"),
)


@dataclass
class Run:
    """What one Lighthouse run found."""

    scores: dict[str, int]
    lcp_ms: float
    tbt_ms: float
    cls: float
    transfer_bytes: int
    script_bytes: int
    losses: list[tuple[str, str, str]]  # (category, audit id, title) of audits not passed


@dataclass
class Row:
    target: Target
    runs: list[Run]

    def median(self, pick: Any) -> float:
        return float(statistics.median(pick(run) for run in self.runs))

    def score(self, category: str) -> int:
        return round(self.median(lambda run: run.scores[category]))

    def under_budget(self) -> list[str]:
        return [c for c in CATEGORIES if self.score(c) < BUDGET[c]]


def main() -> int:
    try:
        runs = int(os.environ.get("LIGHTHOUSE_RUNS", "3"))
        if runs < 1:
            raise ValueError("LIGHTHOUSE_RUNS must be at least 1")
        rows = run(runs)
    except ValueError as exc:
        print(f"\nLIGHTHOUSE FAILED: {exc}", file=sys.stderr)
        return 1
    except BenchError as exc:
        print(f"\nLIGHTHOUSE FAILED: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nLIGHTHOUSE INTERRUPTED", file=sys.stderr)
        return 130
    print_table(rows, runs)
    return 0


def write_summary(rows: list[Row]) -> Path:
    """The table's numbers and every run's, as JSON beside the reports."""
    path = REPORTS / "summary.json"
    summary = {
        "budget": BUDGET,
        "pages": [
            {
                "page": row.target.path,
                "who": row.target.who,
                "median": {c: row.score(c) for c in CATEGORIES},
                "runs": [asdict(r) for r in row.runs],
            }
            for row in rows
        ],
    }
    path.write_text(json.dumps(summary, indent=2) + "\n")
    return path


def run(runs: int) -> list[Row]:
    chrome = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
    if not LIGHTHOUSE.exists():
        raise BenchError(
            f"{LIGHTHOUSE.relative_to(ROOT)} is missing: run `make lighthouse` "
            "(or `npm ci` in bench/lighthouse/)."
        )
    if not (shutil.which(chrome) or Path(chrome).exists()):
        raise BenchError(f"no browser at {chrome}: install chromium or set CHROME_PATH.")
    server_url = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432")
    if urlsplit(server_url).scheme not in {"postgres", "postgresql"}:
        raise BenchError(f"BENCH_DATABASE_URL must be a postgres:// URL (got {server_url!r}).")
    server_url = server_url.rstrip("/")
    print(f"== Lighthouse {_version()}: {runs} runs a page, mobile preset, {chrome}")
    print(f"   server {safe_url(server_url)}, database {DATABASE}")
    env = app_env(f"{server_url}/{DATABASE}", secrets.token_urlsafe(48))
    RESULTS.mkdir(parents=True, exist_ok=True)
    regenerate = os.environ.get("BENCH_REGENERATE", "") in {"1", "true", "yes"}
    ensure_database(server_url, SIZE, regenerate=regenerate, name=DATABASE)
    manage(["collectstatic", "--no-input", "-v", "0"], env, "collectstatic")
    manage(["migrate", "--no-input", "-v", "0"], env, f"migrate {DATABASE}")
    manifest = prepare_database(SIZE, env, name=DATABASE)
    env["MEDIA_ROOT"] = str(RESULTS / f"media-{DATABASE}")
    done = subprocess.run(
        [PYTHON, "-m", "bench.cli", "media"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode:
        raise BenchError(f"giving the exercises their media failed:\n{done.stdout}{done.stderr}")
    print(f"   exercise media (video, captions, poster): {done.stdout.strip().splitlines()[-1]}")
    if REPORTS.exists():
        shutil.rmtree(REPORTS)
    REPORTS.mkdir(parents=True)
    with Server(env, RESULTS / "gunicorn-lighthouse.log", app="bench.tls_proxy") as server:
        print(f"   gunicorn on 127.0.0.1:{server.port}, DEBUG off, behind bench.tls_proxy")
        client = log_in(server.port, manifest["me"], manifest["password"])
        visitor = Browser(server.port)
        try:
            _first_visit(client)
            cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
            headers = {"client": {"Cookie": cookie}, "visitor": {}}
            for target in TARGETS:  # each page answers as expected before it is scored
                browser = client if target.who == "client" else visitor
                checked(browser.get(target.path), f"GET {target.path}", MARKERS[target.path])
            rows = []
            for target in TARGETS:
                url = f"http://127.0.0.1:{server.port}{target.path}"
                found = []
                for n in range(1, runs + 1):
                    found.append(_lighthouse(url, target, n, headers[target.who], chrome))
                    last = found[-1]
                    print(
                        f"   {target.path:<13} run {n}: "
                        + " ".join(f"{c} {last.scores[c]}" for c in CATEGORIES),
                        flush=True,
                    )
                rows.append(Row(target, found))
        finally:
            client.close()
            visitor.close()
    return rows


def _first_visit(client: Browser) -> None:
    """Send the browser's time zone as /me/ does on a client's first visit (once: the
    server keeps it), so that every measured load is a returning client's, the same each
    run. The page's own POST cannot do it under Lighthouse: it went without the session
    (Chromium sent the CSRF cookie the page had set, not Lighthouse's Cookie header)."""
    page = checked(client.get("/me/"), "GET /me/", MARKERS["/me/"])
    form = find_form(page.body, "/me/settings/zone/")
    if form is None:
        return  # the zone is known
    zone = os.environ.get("TIME_ZONE", "Europe/London")
    data = [(k, v) for k, v in form.defaults() if k != "time_zone"] + [("time_zone", zone)]
    done = client.post(form.action, data, referer="/me/")
    if done.status >= 400:
        raise BenchError(f"POST {form.action} (the first visit's time zone) answered {done.status}")
    print(f"   the client's first visit: time zone {zone} sent")


def _version() -> str:
    done = subprocess.run(
        [str(LIGHTHOUSE), "--version"], capture_output=True, text=True, check=False
    )
    if done.returncode:
        raise BenchError(f"lighthouse --version failed:\n{done.stderr}")
    return done.stdout.strip()


class _Flaky(BenchError):
    """A run Lighthouse itself could not finish (NO_NAVSTART, a protocol timeout...)."""


def _lighthouse(url: str, target: Target, n: int, headers: dict[str, str], chrome: str) -> Run:
    """One Lighthouse run of the mobile preset (its default), its JSON report kept; a run
    Lighthouse could not finish is tried again, up to ATTEMPTS times in all."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return _attempt(url, target, n, headers, chrome)
        except _Flaky as exc:
            if attempt == ATTEMPTS:
                raise BenchError(f"{exc} ({ATTEMPTS} attempts)") from None
            print(f"   {target.path:<13} run {n}: trying again: {exc}".splitlines()[0])
    raise AssertionError("unreachable")


def _attempt(url: str, target: Target, n: int, headers: dict[str, str], chrome: str) -> Run:
    report = REPORTS / f"{target.slug}-{n}.json"
    report.unlink(missing_ok=True)
    command = [
        str(LIGHTHOUSE),
        url,
        "--output=json",
        f"--output-path={report}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={CHROME_FLAGS}",
        "--quiet",
    ]
    if headers:
        command.append(f"--extra-headers={json.dumps(headers)}")
    env = dict(os.environ, CHROME_PATH=chrome)
    try:
        done = subprocess.run(
            command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=RUN_TIMEOUT_S
        )
    except subprocess.TimeoutExpired:
        raise _Flaky(f"Lighthouse on {url} took over {RUN_TIMEOUT_S} s") from None
    if done.returncode or not report.exists():
        tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-15:])
        raise _Flaky(f"Lighthouse on {url} failed (status {done.returncode}): {tail}")
    lhr: dict[str, Any] = json.loads(report.read_text())
    error = lhr.get("runtimeError")
    if error:
        raise _Flaky(f"Lighthouse on {url}: {error.get('code')}: {error.get('message')}")
    final = urlsplit(lhr.get("finalDisplayedUrl") or lhr.get("finalUrl") or url).path
    if final != target.path:
        raise BenchError(f"Lighthouse on {url} ended on {final} (not logged in?)")
    return _read(lhr)


def _read(lhr: dict[str, Any]) -> Run:
    categories, audits = lhr["categories"], lhr["audits"]
    scores = {}
    for name in CATEGORIES:
        score = categories[name]["score"]
        if score is None:
            raise BenchError(f"Lighthouse gave no {name} score (a gatherer failed?)")
        scores[name] = round(score * 100)
    losses = []
    for name in CATEGORIES:
        for ref in categories[name]["auditRefs"]:
            audit = audits[ref["id"]]
            if ref.get("weight", 0) > 0 and audit.get("score") is not None and audit["score"] < 1:
                losses.append((name, ref["id"], audit["title"]))
    return Run(
        scores=scores,
        lcp_ms=audits["largest-contentful-paint"]["numericValue"],
        tbt_ms=audits["total-blocking-time"]["numericValue"],
        cls=audits["cumulative-layout-shift"]["numericValue"],
        transfer_bytes=int(audits["total-byte-weight"]["numericValue"]),
        script_bytes=sum(
            int(item["transferSize"])
            for item in audits["resource-summary"]["details"]["items"]
            if item["resourceType"] == "script"
        ),
        losses=losses,
    )


def print_table(rows: list[Row], runs: int) -> None:
    print(f"\n== Lighthouse, mobile preset: the median of {runs} runs per column")
    print(f"   budgets: {', '.join(f'{c} >= {v}' for c, v in BUDGET.items())}")
    print(
        f"{'page':<13} {'who':<8} {'perf':>5} {'a11y':>5} {'best-pr':>7} "
        f"{'LCP ms':>7} {'TBT ms':>7} {'CLS':>6} {'transfer':>9} {'of it JS':>8}  budget"
    )
    for row in rows:
        under = row.under_budget()
        print(
            f"{row.target.path:<13} {row.target.who:<8} "
            f"{row.score('performance'):>5} {row.score('accessibility'):>5} "
            f"{row.score('best-practices'):>7} "
            f"{row.median(lambda r: r.lcp_ms):>7.0f} {row.median(lambda r: r.tbt_ms):>7.0f} "
            f"{row.median(lambda r: r.cls):>6.3f} "
            f"{row.median(lambda r: r.transfer_bytes) / 1000:>6.1f} kB "
            f"{row.median(lambda r: r.script_bytes) / 1000:>5.1f} kB  "
            + ("under: " + ", ".join(under) if under else "met")
        )
    for row in rows:
        losses: dict[tuple[str, str, str], int] = {}
        for r in row.runs:
            for loss in r.losses:
                losses[loss] = losses.get(loss, 0) + 1
        shown = [loss for loss in sorted(losses) if loss[0] in row.under_budget()]
        if shown:
            print(f"\n{row.target.path} is under budget; audits not passed (in how many runs):")
            for (category, audit, title), count in ((k, losses[k]) for k in shown):
                print(f"   {category:<15} {audit:<32} {count}/{len(row.runs)}  {title}")
    summary = write_summary(rows)
    print(f"\nReports: {REPORTS.relative_to(ROOT)}/<page>-<run>.json; {summary.relative_to(ROOT)}")


if __name__ == "__main__":
    sys.exit(main())
