"""The app as a TLS proxy in front of it hands it over, for Lighthouse (bench/lighthouse.py).

In production a proxy (nginx or the platform's) terminates TLS and adds
`X-Forwarded-Proto: https` to every request it passes on; the app gzips its pages
itself (coaching.middleware.PageGZipMiddleware). The scale benchmark's own client sends
the header itself; a real browser does not, and Lighthouse's `--extra-headers` do not
reach every request (not the service worker's script, for one). So for Lighthouse
gunicorn serves this wrapper, which does the proxy's job: the header on every request
(and gzip for any text response the app left uncompressed, which should be none).
Never used outside the benchmark.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable, Iterable
from typing import Any

from coaching.wsgi import application as app

COMPRESSIBLE = (
    "text/",
    "application/json",
    "application/manifest+json",
    "application/javascript",
    "image/svg+xml",
)
LEVEL = 6  # nginx's gzip_comp_level is 1 to 9; 6 is the usual choice
MIN_BYTES = 256  # below this gzip saves nothing (nginx's gzip_min_length is 20)

Headers = list[tuple[str, str]]


def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    environ["HTTP_X_FORWARDED_PROTO"] = "https"
    if "gzip" not in environ.get("HTTP_ACCEPT_ENCODING", "") or environ["REQUEST_METHOD"] == "HEAD":
        return app(environ, start_response)
    started: dict[str, Any] = {}

    def hold(status: str, headers: Headers, exc_info: Any = None) -> Callable[[bytes], None]:
        started.update(status=status, headers=headers, exc_info=exc_info)

        def write(data: bytes) -> None:  # the legacy write() callable: Django never uses it
            raise NotImplementedError

        return write

    body = app(environ, hold)
    status, headers = started["status"], started["headers"]
    if not _compressible(status, headers):
        start_response(status, headers, started["exc_info"])
        return body
    try:
        content = b"".join(body)
    finally:
        close = getattr(body, "close", None)
        if close is not None:
            close()  # Django's request_finished signal (the database connection goes back)
    if len(content) < MIN_BYTES:
        start_response(status, headers, started["exc_info"])
        return [content]
    packed = gzip.compress(content, compresslevel=LEVEL, mtime=0)
    kept = [(k, v) for k, v in headers if k.lower() not in {"content-length", "vary", "etag"}]
    vary = [v for k, v in headers if k.lower() == "vary"]
    kept += [
        ("Content-Encoding", "gzip"),
        ("Content-Length", str(len(packed))),
        ("Vary", ", ".join([*vary, "Accept-Encoding"])),
    ]
    start_response(status, kept, started["exc_info"])
    return [packed]


def _compressible(status: str, headers: Headers) -> bool:
    names = {k.lower(): v for k, v in headers}
    if not status.startswith("200") or "content-encoding" in names:
        return False
    return names.get("content-type", "").lower().startswith(COMPRESSIBLE)
