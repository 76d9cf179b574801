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
from urllib.parse import urlsplit

from bench import BenchError
from bench.browser import Browser, find_form
from bench.pages import BARE, Row, Studio, checked, fill_log_form

CONCURRENCY = (1, 8)
WARMUP = 3
CHEAP_S = 1.0  # a page whose full count of requests takes less is never time-boxed

Sample = tuple[float, int]  # seconds, queries
Source = list[Browser] | queue.Queue[Browser]


@dataclass(frozen=True)
class Limits:
    requests: int
    slow_ms: float
    slow_requests: int


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


# --- One request ------------------------------------------------------------------------


def _request(row: Row) -> Callable[[Browser], Sample]:
    """A function making one timed request for the row, checking what comes back."""
    page = row.page
    if not page.post:
        what = f"GET {page.path} as {page.who} ({row.size} clients)"

        def get(browser: Browser) -> Sample:
            response = browser.get(page.path, page.headers)
            checked(response, what, page.marker, fragment=page.fragment)
            return response.seconds, response.queries or 0

        return get

    rng = random.Random(row.size)
    rng_lock = threading.Lock()

    def post(browser: Browser) -> Sample:
        # Read the form first (the CSRF token and any hidden input), then time the POST.
        shown = checked(browser.get("/me/log/"), "GET /me/log/ before the POST", "Log a session")
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
