"""The pages the scale benchmark times, who asks for each, and how it knows it got the
page: logging in through the real login form, finding the dashboard's filters and last
page, checking each answer's status and marker text, and filling in the log form."""

from __future__ import annotations

import os
import random
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlencode, urlsplit
from zoneinfo import ZoneInfo

from bench import BenchError
from bench.browser import Browser, Form, Response, find_form, forms

LOGIN = "/accounts/login/"
BARE = "bare HttpResponse"

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
    "assessments": "<h1>Assessments</h1>",
}
# The filters the issue names; the dashboard's own form decides what is measured.
EXPECTED_FILTERS = ("ready", "flare", "hold", "quiet")

NO = ("no", "false", "False", "0")


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
        first = checked(studio.browsers[identity].get("/coach/"), "GET /coach/", marker)
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
            Page(
                "/coach/assessments/", who, "/coach/assessments/", MARKERS["assessments"], identity
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


def checked(response: Response, what: str, marker: str, *, fragment: bool = False) -> Response:
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
