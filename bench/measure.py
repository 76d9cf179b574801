"""Logging in, finding the pages, and timing them within the time budget.

Every page is first warmed up at concurrency 1 (which also checks its status and
marker, so a broken page stops the run in its first minute). The warm-up says how long
a request takes, and the plan gives each page its number of requests:

- a page slower than BENCH_SLOW_MS (500 ms) gets BENCH_SLOW_REQUESTS (20);
- every other page gets BENCH_REQUESTS (200), unless all of them together would not
  fit in the time left: then the costliest are time-boxed to the same time at
  concurrency 1 each, with at least 20 requests (a page whose 200 requests take under
  a second is never cut). The table marks both cases.

The plan is made again before each page at each concurrency, from what the pages so
far really took, so a machine slower than the warm-up said shortens the pages still to
come instead of overrunning the budget.
"""

from __future__ import annotations

import math
import os
import queue
import random
import re
import statistics
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlencode, urlsplit
from zoneinfo import ZoneInfo

from bench.browser import Browser, Form, Response, find_form, forms

LOGIN = "/accounts/login/"
CONCURRENCY = (1, 8)
WARMUP = 3
BARE = "bare HttpResponse"
CHEAP_S = 1.0  # a page whose full count of requests takes less is never time-boxed

# The text that proves each page is the page (see the templates under templates/).
MARKERS = {
    "head": "All clients",
    "busy": "Your clients",
    "/me/": "Log today",
    "/me/log/": "Log a session",
    "/me/log/ fragment": "Save session",
    "/me/progress/": "Your progress",
    "/assessment/": "Free 30-minute live online movement assessment",
    "/exercises/": "Exercise library",
}
# The filters the issue names; the dashboard's own form decides what is measured.
EXPECTED_FILTERS = ("ready", "flare", "hold", "quiet")

NO = ("no", "false", "False", "0")
Sample = tuple[float, int]  # seconds, queries
Source = list[Browser] | queue.Queue[Browser]


class BenchError(Exception):
    """Something is wrong with a page or the set-up: the run stops with this message."""


@dataclass(frozen=True)
class Limits:
    requests: int
    slow_ms: float
    slow_requests: int


@dataclass
class Page:
    """A page, who asks for it, and how to recognise it."""

    label: str
    who: str
    path: str
    marker: str
    identity: str  # which logged-in browser asks: anon, head, busy, me, post
    headers: dict[str, str] = field(default_factory=dict)
    fragment: bool = False
    post: bool = False


@dataclass
class Row:
    """A page at one database size, with its warm-up time and planned request count."""

    size: int
    page: Page
    cycle: float = 0.0  # wall seconds per request at concurrency 1 (a POST's GET included)
    slow: bool = False


@dataclass
class Result:
    size: int
    concurrency: int
    page: str
    who: str
    path: str
    n: int
    slow: bool
    timeboxed: bool
    median_ms: float
    p95_ms: float
    mean_ms: float
    min_ms: float
    max_ms: float
    queries: str
    seconds: float
    ratio_bare: float | None = None
    growth: float | None = None


@dataclass
class Studio:
    """One database served by one gunicorn: its logins and its rows."""

    size: int
    manifest: dict[str, Any]
    port: int
    browsers: dict[str, Browser] = field(default_factory=dict)
    rows: list[Row] = field(default_factory=list)

    def close(self) -> None:
        for browser in self.browsers.values():
            browser.close()


# --- Logging in and finding the pages ------------------------------------------------------


def log_in(port: int, email: str, password: str) -> Browser:
    """Log in through the real login form, as a person would."""
    browser = Browser(port)
    page = browser.get(LOGIN)
    if page.status != 200:
        raise BenchError(f"GET {LOGIN} answered {page.status}")
    form = find_form(page.body, LOGIN)
    if form is None:
        raise BenchError(f"no login form posting to {LOGIN} on the login page")
    user_field = "username" if "username" in form.names() else "email"
    data = [(k, v) for k, v in form.defaults() if k not in {user_field, "password"}]
    data += [(user_field, email), ("password", password)]
    done = browser.post(LOGIN, data, referer=LOGIN)
    if done.status != 302 or urlsplit(done.location).path == LOGIN:
        raise BenchError(f"logging in as {email} failed: {done.status} {done.location}")
    return browser


def open_studio(size: int, manifest: dict[str, Any], port: int, notes: list[str]) -> Studio:
    """Log everyone in and list the rows to measure for this database."""
    studio = Studio(size, manifest, port)
    password = manifest["password"]
    logins = {
        "head": manifest["head_coach"]["email"],
        "busy": manifest["busy_coach"]["email"],
        "me": manifest["me"],
    }
    logins |= {f"post{i}": email for i, email in enumerate(manifest["post_clients"])}
    with ThreadPoolExecutor(max_workers=3) as executor:
        done = executor.map(lambda email: log_in(port, email, password), logins.values())
        studio.browsers = {"anon": Browser(port), **dict(zip(logins, done, strict=True))}
    studio.rows = [Row(size, page) for page in _pages(studio, notes)]
    return studio


def _show_choices(html: str) -> list[str]:
    """The dashboard's filter values, read from its form (so new filters get measured)."""
    for form in forms(html):
        if form.method == "get" and "show" in form.names():
            return [value for value in form.options("show") if value]
    return []


def _last_page(html: str) -> int:
    match = re.search(r"Page \d+ of (\d+)", html)
    if match:
        return int(match.group(1))
    numbers = [int(n) for n in re.findall(r"[?&;]page=(\d+)", html)]
    return max(numbers, default=1)


def _pages(studio: Studio, notes: list[str]) -> list[Page]:
    manifest = studio.manifest
    found = [Page(BARE, "-", "/bench/bare/", "ok", "anon")]
    for identity, who in (("head", "head coach"), ("busy", "coach")):
        marker = MARKERS[identity]
        first = _checked(studio.browsers[identity].get("/coach/"), "GET /coach/", marker)
        last = _last_page(first.body)
        choices = [value for value in _show_choices(first.body) if value != "all"]
        if not choices:
            raise BenchError("no show= filter found in the dashboard's form")
        missing = [value for value in EXPECTED_FILTERS if value not in choices]
        if missing and identity == "head":
            notes.append(
                f"{studio.size} clients: the dashboard's form offers no "
                + ", ".join(f"show={value}" for value in missing)
                + f" filter, so it is not measured (it offers: {', '.join(choices)})"
            )
        query = urlencode({"q": manifest["surname"]})
        detail = manifest["detail"]
        found += [
            Page("/coach/ first page", who, "/coach/", marker, identity),
            Page(f"/coach/ last page ({last})", who, f"/coach/?page={last}", marker, identity),
            *[
                Page(f"/coach/?show={value}", who, f"/coach/?show={value}", marker, identity)
                for value in choices
            ],
            Page("/coach/?q=<surname>", who, f"/coach/?{query}", marker, identity),
            Page(
                f"/coach/clients/<id>/ ({detail['sessions']} sessions)",
                who,
                f"/coach/clients/{detail['id']}/",
                detail["name"],
                identity,
            ),
        ]
    found += [
        Page("/me/", "client", "/me/", MARKERS["/me/"], "me"),
        Page("/me/log/", "client", "/me/log/", MARKERS["/me/log/"], "me"),
        Page(
            "/me/log/ htmx fragment",
            "client",
            "/me/log/",
            MARKERS["/me/log/ fragment"],
            "me",
            headers={"HX-Request": "true"},
            fragment=True,
        ),
        Page("/me/progress/", "client", "/me/progress/", MARKERS["/me/progress/"], "me"),
        Page("/assessment/", "visitor", "/assessment/", MARKERS["/assessment/"], "anon"),
        Page("/exercises/", "visitor", "/exercises/", MARKERS["/exercises/"], "anon"),
        Page("log-session POST", "client", "/me/log/", "", "post", post=True),
    ]
    return found


# --- One request ------------------------------------------------------------------------


def _checked(response: Response, what: str, marker: str, *, fragment: bool = False) -> Response:
    """The response, if it is the page we asked for; BenchError otherwise."""
    if response.status != 200:
        where = urlsplit(response.location).path
        if response.status in {301, 302, 303} and where == LOGIN:
            raise BenchError(f"{what}: redirected to the login page (not logged in?)")
        raise BenchError(f"{what}: status {response.status} {response.location}".rstrip())
    if marker not in response.body:
        snippet = re.sub(r"\s+", " ", response.body)[:300]
        raise BenchError(f"{what}: the marker {marker!r} is missing. Start: {snippet}")
    if fragment and "<html" in response.body.lower():
        raise BenchError(f"{what}: asked for an htmx fragment, got a whole page")
    if response.queries is None:
        raise BenchError(f"{what}: no X-Bench-Queries header (is bench.settings in use?)")
    return response


def fill_log_form(form: Form, rng: random.Random) -> list[tuple[str, str]]:
    """The log form as a client fills it in: every hidden input kept, valid values."""
    names = form.names()
    pain = {"pain_before", "pain_during", "pain_after"}
    data = [(k, v) for k, v in form.defaults() if k not in pain | {"felt_in"}]
    values = dict(data)
    for name in sorted(pain):
        offered = [v for v in form.options(name) if v in {"0", "1", "2"}]
        if not offered:
            raise BenchError(f"the log form offers no 0-2 choice for {name}")
        data.append((name, rng.choice(offered)))
    if "felt_in" in names:
        data.append(("felt_in", "hips"))
    # Any other question left unanswered (a yes/no radio group such as "did your lower
    # back hurt?"): answer no, or take the first option, as a client who is fine would.
    answered = {k for k, _ in data}
    for control in form.controls:
        name = control["name"]
        if control["kind"] == "radio" and name not in answered:
            offered = form.options(name)
            data.append((name, next((v for v in offered if v in NO), offered[0])))
            answered.add(name)
    today = datetime.now(ZoneInfo(os.environ.get("TIME_ZONE", "Europe/London"))).date()
    fixed = {
        "performed_on": values.get("performed_on") or today.isoformat(),
        "sets": values.get("sets") or "3",
    }
    for name, default in (("reps", "10"), ("seconds", "30"), ("load_kg", "16")):
        if name in names:
            fixed[name] = values.get(name) or default
    return [(k, v) for k, v in data if k not in fixed] + list(fixed.items())


def _request(row: Row) -> Callable[[Browser], Sample]:
    """A function making one timed request for the row, checking what comes back."""
    page = row.page
    if not page.post:
        what = f"GET {page.path} as {page.who} ({row.size} clients)"

        def get(browser: Browser) -> Sample:
            response = browser.get(page.path, page.headers)
            _checked(response, what, page.marker, fragment=page.fragment)
            return response.seconds, response.queries or 0

        return get

    rng = random.Random(row.size)
    rng_lock = threading.Lock()

    def post(browser: Browser) -> Sample:
        # Read the form first (the CSRF token and any hidden input), then time the POST.
        shown = _checked(browser.get("/me/log/"), "GET /me/log/ before the POST", "Log a session")
        form = find_form(shown.body, "/me/log/")
        if form is None:
            raise BenchError("/me/log/: no form posting to /me/log/ (has the client consented?)")
        with rng_lock:
            data = fill_log_form(form, rng)
        done = browser.post("/me/log/", data, referer="/me/log/")
        if done.status != 302 or urlsplit(done.location).path != "/me/":
            errors = re.findall(r"invalid-feedback[^>]*>\s*(?:<[^>]+>)*([^<]+)", done.body)
            raise BenchError(
                f"POST /me/log/ ({row.size} clients): expected a 302 to /me/, got "
                f"{done.status} {done.location} {[e.strip() for e in errors[:3]]}"
            )
        if done.queries is None:
            raise BenchError("POST /me/log/: no X-Bench-Queries header")
        return done.seconds, done.queries

    return post


def _source(studio: Studio, row: Row, concurrency: int) -> Source:
    """Browsers for the threads: copies of one login, or the pool of POST clients."""
    if row.page.post:
        pool: queue.Queue[Browser] = queue.Queue()
        for key, browser in studio.browsers.items():
            if key.startswith("post"):
                pool.put(browser)
        return pool
    return [studio.browsers[row.page.identity].copy() for _ in range(concurrency)]


def _run(
    one: Callable[[Browser], Sample], source: Source, n: int, concurrency: int
) -> list[Sample]:
    """n requests made by `concurrency` threads; the first failure stops them all."""
    lock = threading.Lock()
    left = [n]
    samples: list[Sample] = []
    failed: list[BaseException] = []

    def worker(index: int) -> None:
        while True:
            with lock:
                if left[0] <= 0 or failed:
                    return
                left[0] -= 1
            pool = source if isinstance(source, queue.Queue) else None
            browser = pool.get() if pool is not None else source[index]  # type: ignore[index]
            try:
                sample = one(browser)
            except BaseException as exc:
                with lock:
                    failed.append(exc)
                return
            finally:
                if pool is not None:
                    pool.put(browser)
            with lock:
                samples.append(sample)

    with ThreadPoolExecutor(max_workers=concurrency) as executor:
        try:
            list(executor.map(worker, range(concurrency)))
        except BaseException as exc:  # Ctrl-C: let the threads stop after their request
            failed.append(exc)
            raise
    if failed:
        raise failed[0]
    return samples


# --- Warm-up, plan, measure --------------------------------------------------------------------


def warm_up(studio: Studio, limits: Limits) -> None:
    """Up to 3 requests per row at concurrency 1: checks the page and times it."""
    for row in studio.rows:
        one = _request(row)
        source = _source(studio, row, 1)
        cycles: list[float] = []
        timed: list[float] = []
        for _ in range(WARMUP):
            began = time.perf_counter()
            timed += [seconds for seconds, _ in _run(one, source, 1, 1)]
            cycles.append(time.perf_counter() - began)
            if len(timed) >= 2 and min(timed) * 1000 > limits.slow_ms:
                break
        row.cycle = statistics.median(cycles)
        row.slow = statistics.median(timed) * 1000 > limits.slow_ms
        _close(source)


@dataclass
class Task:
    """One row at one concurrency, with the number of requests the plan gives it."""

    studio: Studio
    row: Row
    concurrency: int
    n: int = 0


def tasks(studios: list[Studio]) -> list[Task]:
    """In order: per database, every GET at concurrency 1, then 8; then the POSTs."""
    return [
        Task(studio, row, concurrency)
        for studio in studios
        for post in (False, True)
        for concurrency in CONCURRENCY
        for row in studio.rows
        if row.page.post is post
    ]


@dataclass
class CostModel:
    """Seconds a planned request takes, as a multiple of its warm-up time, per concurrency;
    learnt from every task measured."""

    factor: dict[int, float] = field(default_factory=lambda: dict.fromkeys(CONCURRENCY, 1.0))
    spent: dict[int, float] = field(default_factory=lambda: dict.fromkeys(CONCURRENCY, 0.0))
    planned: dict[int, float] = field(default_factory=lambda: dict.fromkeys(CONCURRENCY, 0.0))

    def learn(self, task: Task, seconds: float) -> None:
        c = task.concurrency
        self.spent[c] += seconds
        self.planned[c] += task.n * task.row.cycle
        self.factor[c] = max(0.2, self.spent[c] / self.planned[c])

    def cost(self, task: Task, n: int) -> float:
        return n * task.row.cycle * self.factor[task.concurrency]


def plan(todo: list[Task], budget: float, limits: Limits, model: CostModel) -> None:
    """Requests per task: 20 for a slow page; 200 for the others if they all fit the
    budget, else the same time at concurrency 1 for each (at least 20 requests)."""
    least = min(limits.slow_requests, limits.requests)
    for task in todo:
        task.n = limits.slow_requests if task.row.slow else limits.requests
    fixed = sum(model.cost(task, task.n) for task in todo if task.row.slow)
    fast = [task for task in todo if not task.row.slow]

    def counts(cap: float) -> list[int]:
        if math.isinf(cap):
            return [limits.requests for _ in fast]
        return [
            limits.requests
            if model.cost(t, limits.requests) <= CHEAP_S  # never worth cutting
            else min(limits.requests, max(least, math.floor(cap / t.row.cycle)))
            for t in fast
        ]

    def cost(cap: float) -> float:
        return fixed + sum(model.cost(t, n) for t, n in zip(fast, counts(cap), strict=True))

    if not fast or cost(math.inf) <= budget:  # always so without a budget (inf)
        return
    low, high = 0.0, max(task.row.cycle for task in fast) * limits.requests
    for _ in range(60):
        middle = (low + high) / 2
        low, high = (middle, high) if cost(middle) <= budget else (low, middle)
    for task, n in zip(fast, counts(low), strict=True):
        task.n = n


def measure(
    todo: list[Task],
    deadline: float | None,
    limits: Limits,
    on_start: Callable[[Studio, float | None], None],
    on_result: Callable[[Result], None],
) -> list[Result]:
    """Run the tasks in order, planning what is left before each against the deadline
    (a time.perf_counter() value; None for no budget)."""
    model = CostModel()
    results: list[Result] = []
    current: Studio | None = None
    for index, task in enumerate(todo):
        left = deadline - time.perf_counter() if deadline is not None else None
        plan(todo[index:], left if left is not None else math.inf, limits, model)
        if task.studio is not current:
            current = task.studio
            on_start(current, left)
        source = _source(task.studio, task.row, task.concurrency)
        began = time.perf_counter()
        samples = _run(_request(task.row), source, task.n, task.concurrency)
        seconds = time.perf_counter() - began
        _close(source)
        model.learn(task, seconds)
        result = _result(task.row, task.concurrency, samples, seconds)
        results.append(result)
        on_result(result)
    return results


def _close(source: Source) -> None:
    if isinstance(source, list):
        for browser in source:
            browser.close()


def _result(row: Row, concurrency: int, samples: list[Sample], seconds: float) -> Result:
    ms = sorted(s * 1000 for s, _ in samples)
    counts = Counter(q for _, q in samples)
    queries = str(min(counts)) if len(counts) == 1 else f"{min(counts)}-{max(counts)}"
    return Result(
        size=row.size,
        concurrency=concurrency,
        page=row.page.label,
        who=row.page.who,
        path=row.page.path,
        n=len(ms),
        slow=row.slow,
        timeboxed=False,  # set by classify() once every result is in
        median_ms=round(statistics.median(ms), 1),
        p95_ms=round(statistics.quantiles(ms, n=20, method="inclusive")[18], 1),
        mean_ms=round(statistics.fmean(ms), 1),
        min_ms=round(ms[0], 1),
        max_ms=round(ms[-1], 1),
        queries=queries,
        seconds=round(seconds, 1),
    )


def stable(label: str) -> str:
    """A row's name without what differs by size (page numbers, session counts)."""
    return re.sub(r" \([^)]*\)$", "", label)


def add_ratios(results: list[Result]) -> None:
    """Each median over the bare view's, and the largest size's over the smallest's."""
    bare = {(r.size, r.concurrency): r.median_ms for r in results if r.page == BARE}
    sizes = sorted({r.size for r in results})
    by_key = {(r.size, r.concurrency, stable(r.page), r.who): r for r in results}
    for r in results:
        floor = bare.get((r.size, r.concurrency))
        r.ratio_bare = round(r.median_ms / floor, 1) if floor else None
        if len(sizes) > 1 and r.size == sizes[-1]:
            small = by_key.get((sizes[0], r.concurrency, stable(r.page), r.who))
            r.growth = round(r.median_ms / small.median_ms, 1) if small else None


def classify(results: list[Result], limits: Limits) -> None:
    """Mark each row by its measured median at concurrency 1: slow (over BENCH_SLOW_MS),
    or time-boxed (fewer than BENCH_REQUESTS requests although not slow)."""
    c1 = {(r.size, r.page, r.who): r.median_ms for r in results if r.concurrency == 1}
    for r in results:
        r.slow = c1.get((r.size, r.page, r.who), r.median_ms) > limits.slow_ms
        r.timeboxed = not r.slow and r.n < limits.requests
