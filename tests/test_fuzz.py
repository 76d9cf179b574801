"""No input ever produces a 500, and input that is refused saves nothing.

Every form on every page the walk reaches (as a visitor, a client, the head coach)
and every query parameter those pages read gets random strings: unicode digits
like '²' and '٣', huge numbers, dates in odd calendars, markup, blanks. A
response is never a server error; a refusal (an error summary, or a 4xx) leaves
every table's row count as it was. The limits are off for this client, so what
is tested is the parsing, not the throttle.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client as HttpClient
from hypothesis import HealthCheck, event, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests.walk import Cast, concrete_url, leaves

pytestmark = pytest.mark.django_db
INPUTS = 2000
# Pages the walk leaves alone: Django's own admin, and logging out (it ends the walk's session).
SKIPPED = ("admin:", "logout", "password_change")
QUERY_NAMES = ["page", "show", "q", "sort", "tz", "from", "coach", "slot", "day", "booked", "kind"]

NASTY = st.sampled_from(
    [
        "",
        " ",
        "²",
        "٣",
        "１２",
        "-1",
        "0",
        "99999999999999999999",
        "1e309",
        "NaN",
        "2031-02-30",
        "２０２６-１１-２５",
        "1@2031-01-01T03:00Z",
        "²@2031-01-01T03:00Z",
        "<script>alert(1)</script>",
        "../../etc/passwd",
        "\x00",
        "'; DROP TABLE clients_client; --",
        "a" * 5000,
    ]
)
STRINGS = st.one_of(
    NASTY, st.text(max_size=40), st.text(alphabet="0123456789²٣-.:T@Z ", max_size=25)
)


class Forms(HTMLParser):
    """The forms on a page: where each posts, how, and the names of its fields."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, str, list[str]]] = []
        self._current: tuple[str, str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "form":
            self._current = (
                values.get("action") or "",
                (values.get("method") or "get").lower(),
                [],
            )
            self.forms.append(self._current)
        elif tag in {"input", "select", "textarea", "button"} and self._current is not None:
            name = values.get("name")
            if name and name != "csrfmiddlewaretoken":
                self._current[2].append(name)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._current = None


@dataclass(frozen=True)
class Target:
    role: str
    method: str
    url: str
    fields: tuple[str, ...]


def row_count() -> int:
    """Rows in every table of the project's apps, in one query."""
    tables = [
        m._meta.db_table
        for m in apps.get_models()
        if m._meta.app_label in {"clients", "coaching", "exercises", "auditlog", "django_tasks_db"}
        and not m._meta.proxy
    ]
    sql = " + ".join(f"(SELECT COUNT(*) FROM {connection.ops.quote_name(t)})" for t in tables)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {sql}")
        return int(cursor.fetchone()[0])


def targets(cast: Cast, browsers: dict[str, HttpClient]) -> list[Target]:
    """Every page the roles can open, with its query parameters, and every form on them."""
    users = {"visitor": cast.coach, "client": cast.client.user, "coach": cast.coach}
    found: set[Target] = set()
    for leaf in leaves():
        if leaf.name.startswith(SKIPPED) or not leaf.name:
            continue
        for role, browser in browsers.items():
            url = concrete_url(leaf, cast, users[role])
            response = browser.get(url)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            found.add(Target(role, "get", url, tuple(QUERY_NAMES)))
            parser = Forms()
            parser.feed(response.content.decode())
            for action, method, names in parser.forms:
                path = urlsplit(action).path or url
                if path.startswith("/admin/") or "logout" in path or not names:
                    continue
                found.add(Target(role, method, path, tuple(sorted(set(names)))))
    return sorted(found, key=lambda t: (t.role, t.method, t.url, t.fields))


def test_random_input_to_every_form_and_parameter_never_breaks_anything(
    cast: Cast, settings: Any
) -> None:
    settings.THROTTLE_ENABLED = False
    browsers = {"visitor": HttpClient(), "client": HttpClient(), "coach": HttpClient()}
    browsers["client"].force_login(cast.client.user)
    browsers["coach"].force_login(cast.coach)
    pages = targets(cast, browsers)
    assert sum(t.method == "post" for t in pages) >= 20, "the walk found too few forms"
    seen: Counter[str] = Counter()

    forms = [t for t in pages if t.method == "post"]
    queries = [t for t in pages if t.method == "get"]
    # Forms three times over: they are where input is saved, so where it matters most.
    weighted = st.sampled_from(forms * 3 + queries)

    @hypothesis_settings(
        max_examples=INPUTS,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(weighted, st.data())
    def posts(target: Target, data: st.DataObject) -> None:
        values = {name: data.draw(STRINGS) for name in target.fields}
        browser = browsers[target.role]
        before = row_count()
        if target.method == "get":
            chosen = {k: v for k, v in values.items() if data.draw(st.booleans())}
            response = browser.get(target.url + "?" + urlencode(chosen))
        else:
            response = browser.post(target.url, values)
        assert response.status_code < 500, (target, values)
        event(f"{target.method} {response.status_code}")
        seen[target.method] += 1
        body = response.content.decode(errors="replace") if response.status_code == 200 else ""
        refused = response.status_code >= 400 or "There is a problem" in body
        if target.method == "post" and refused:
            assert row_count() == before, ("a refused input saved something", target, values)

    posts()
    assert seen["post"] + seen["get"] == INPUTS
    assert seen["post"] >= INPUTS * 2 // 5 and seen["get"] >= INPUTS // 5, seen
