"""A small HTTP client for the benchmark, standard library only.

It speaks to gunicorn over plain HTTP but says it came through the TLS proxy
(`X-Forwarded-Proto: https` on every request), keeps its own cookies (the session and
CSRF cookies are Secure, which a cookie jar would refuse to send over http), sends the
Origin and Referer a browser sends with a form, and reads forms like a browser does.
"""

from __future__ import annotations

import gzip
import http.client
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlencode, urlsplit

QUERIES_HEADER = "X-Bench-Queries"
HOST = "127.0.0.1"


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: str
    seconds: float

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")

    @property
    def queries(self) -> int | None:
        value = self.headers.get(QUERIES_HEADER)
        return int(value) if value is not None else None


class Browser:
    """One person's tab: cookies and a connection of its own (use one per thread)."""

    def __init__(self, port: int, cookies: dict[str, str] | None = None) -> None:
        self.port = port
        self.cookies = dict(cookies or {})
        self.origin = f"https://{HOST}:{port}"
        self._conn: http.client.HTTPConnection | None = None

    def copy(self) -> Browser:
        """A second tab with the same cookies (the same login) and its own connection."""
        return Browser(self.port, self.cookies)

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def get(self, path: str, headers: dict[str, str] | None = None) -> Response:
        return self.request("GET", path, headers=headers)

    def post(self, path: str, data: list[tuple[str, str]], *, referer: str) -> Response:
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": self.origin,
            "Referer": self.origin + referer,
        }
        return self.request("POST", path, body=urlencode(data), headers=headers)

    def request(
        self,
        method: str,
        path: str,
        *,
        body: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> Response:
        sent = {
            "X-Forwarded-Proto": "https",
            "Accept": "text/html,application/xhtml+xml",
            "Accept-Encoding": "gzip",
            "User-Agent": "studio-bench/1",
            **(headers or {}),
        }
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            if self._conn is None:
                self._conn = http.client.HTTPConnection(HOST, self.port, timeout=120)
            try:
                started = time.perf_counter()
                self._conn.request(method, path, body=body, headers=sent)
                raw = self._conn.getresponse()
                content = raw.read()
                seconds = time.perf_counter() - started
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # A kept-alive connection the server had already closed: retry once, afresh.
                self.close()
                if attempt == 2:
                    raise
                continue
            except (OSError, http.client.HTTPException):
                self.close()
                raise
            if raw.will_close:
                self.close()
            break
        if raw.headers.get("Content-Encoding") == "gzip":
            content = gzip.decompress(content)
        self._keep_cookies(raw.headers)
        return Response(raw.status, raw.headers, content.decode("utf-8", "replace"), seconds)

    def _keep_cookies(self, headers: http.client.HTTPMessage) -> None:
        for header in headers.get_all("Set-Cookie") or []:
            jar: SimpleCookie = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                if morsel["max-age"] == "0" or "1970" in morsel["expires"]:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value


@dataclass
class Form:
    """A form as a browser sees it: where it goes and the values it would send."""

    action: str
    method: str
    controls: list[dict[str, Any]] = field(default_factory=list)

    def names(self) -> set[str]:
        return {c["name"] for c in self.controls}

    def options(self, name: str) -> list[str]:
        """The values a radio group, checkbox group or select offers."""
        found: list[str] = []
        for control in self.controls:
            if control["name"] == name:
                found += control.get("options") or [control.get("value", "")]
        return found

    def value(self, name: str) -> str:
        """The value the form shows for a field ('' when it shows none)."""
        return next((value for key, value in self.defaults() if key == name), "")

    def defaults(self) -> list[tuple[str, str]]:
        """What submitting the form untouched would send (the successful controls)."""
        sent = []
        for control in self.controls:
            kind = control["kind"]
            if kind in {"radio", "checkbox"}:
                if control["checked"]:
                    sent.append((control["name"], control.get("value") or "on"))
            elif kind == "select":
                options = control["options"]
                chosen = control["selected"] or options[:1]
                sent += [(control["name"], value) for value in chosen]
            else:
                sent.append((control["name"], control.get("value", "")))
        return sent


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: dict[str, Any] | None = None
        self._option: str | None = None
        self._textarea: dict[str, Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form":
            self._form = Form(a.get("action", ""), (a.get("method") or "get").lower())
            self.forms.append(self._form)
            return
        if self._form is None or "disabled" in a:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in {"submit", "button", "image", "reset", "file"}:
                return
            self._form.controls.append(
                {"kind": kind, "name": name, "value": a.get("value", ""), "checked": "checked" in a}
            )
        elif tag == "select" and name:
            self._select = {"kind": "select", "name": name, "options": [], "selected": []}
            self._form.controls.append(self._select)
        elif tag == "option" and self._select is not None:
            self._option = a.get("value")
            self._select["options"].append(self._option or "")
            if "selected" in a:
                self._select["selected"].append(self._option or "")
        elif tag == "textarea" and name:
            self._textarea = {"kind": "textarea", "name": name, "value": ""}
            self._form.controls.append(self._textarea)

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea["value"] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def forms(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    parser.close()
    return parser.forms


def find_form(html: str, action: str, method: str = "post") -> Form | None:
    """The form that submits to `action` (a path) with `method`."""
    for form in forms(html):
        if urlsplit(form.action).path == action and form.method == method:
            return form
    return None
