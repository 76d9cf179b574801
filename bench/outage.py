"""How fast the app fails when its database is down: `python -m bench.outage`.

Starts the app as production runs it (gunicorn, DEBUG off, WhiteNoise's
manifest storage, behind the TLS proxy as far as the app can tell) against two
broken databases:

  refused  a port where nothing listens: every connection is refused at once;
  silent   a TCP listener that accepts connections and never says a word, like a
           database host that hangs.

For each, it times `/healthz` (must answer 503) and the landing page (must
answer our friendly 500 page, not hang until gunicorn kills the worker at 30 s
and the proxy shows a 502), twice each (a fresh worker, then a warm one). Every
answer must come within 5 s. Prints the times; exits 1 if any check failed.
Everything runs on 127.0.0.1 and stops by itself.
"""

from __future__ import annotations

import http.client
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from bench import PYTHON, ROOT
from bench.server import free_port, gunicorn_command, stop

LIMIT_S = 5.0
FRIENDLY_500 = "Sorry, something went wrong"


@contextmanager
def refusing_port() -> Iterator[int]:
    """A port nothing listens on (taken from the OS, then released)."""
    yield free_port()


@contextmanager
def silent_listener(max_seconds: float = 120) -> Iterator[int]:
    """A listener that accepts every connection and never answers; closed on exit."""
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    server.settimeout(0.2)
    held: list[socket.socket] = []
    stop = threading.Event()
    deadline = time.monotonic() + max_seconds

    def accept() -> None:
        while not stop.is_set() and time.monotonic() < deadline:
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            held.append(conn)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1]
    finally:
        stop.set()
        thread.join(timeout=2)
        for conn in held:
            conn.close()
        server.close()


def app_env(database_port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "STUDIO_PROCESS"}}
    env.update(
        {
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{database_port}/studio",
            "EMAIL_HOST": "smtp.example.invalid",
            "SITE_URL": "https://studio.example.com",
            "BEHIND_TLS_PROXY": "true",
            "LOG_LEVEL": "CRITICAL",
        }
    )
    return env


def collectstatic(env: dict[str, str]) -> None:
    """The manifest the templates' {% static %} needs with DEBUG off (no database used)."""
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )


@contextmanager
def gunicorn(env: dict[str, str]) -> Iterator[int]:
    """The README's gunicorn command (2 workers here) on a free local port; stopped on exit."""
    port = free_port()
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(
            gunicorn_command(port, workers=2, extra=["--timeout", "30"]),
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                if proc.poll() is not None:
                    log.seek(0)
                    raise RuntimeError(f"gunicorn exited:\n{log.read().decode()[-3000:]}")
                # The master accepts before its workers have loaded the app: wait for a
                # page that needs no database (a static file), then for the other worker.
                if fetch(port, "/static/css/app.css")[0] == 200:
                    time.sleep(2)
                    break
                if time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not start within 60 s")
                time.sleep(0.2)
            yield port
        finally:
            stop(proc)


@dataclass
class Timing:
    scenario: str
    path: str
    round: int
    status: int
    seconds: float
    expected: int
    body_ok: bool

    @property
    def ok(self) -> bool:
        return self.status == self.expected and self.body_ok and self.seconds <= LIMIT_S


def fetch(port: int, path: str) -> tuple[int, str, float]:
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=40)
    try:
        # As the TLS proxy would send it, so no redirect to https gets in the way.
        conn.request("GET", path, headers={"Host": "127.0.0.1", "X-Forwarded-Proto": "https"})
        response = conn.getresponse()
        body = response.read().decode(errors="replace")
        return response.status, body, time.perf_counter() - started
    except (TimeoutError, OSError) as exc:
        return 0, repr(exc), time.perf_counter() - started
    finally:
        conn.close()


def measure(scenario: str, port: int) -> list[Timing]:
    timings = []
    for round_ in (1, 2):
        for path, expected, needle in [("/healthz", 503, "unavailable"), ("/", 500, FRIENDLY_500)]:
            status, body, seconds = fetch(port, path)
            timings.append(
                Timing(scenario, path, round_, status, seconds, expected, needle in body)
            )
    return timings


def main() -> int:
    print("== Database outage: gunicorn with DEBUG off against a broken database")
    collectstatic(app_env(free_port()))
    results: list[Timing] = []
    for scenario, broken in [("refused", refusing_port), ("silent", silent_listener)]:
        with broken() as db_port, gunicorn(app_env(db_port)) as port:
            results += measure(scenario, port)
    print(f"\n{'database':<9} {'page':<9} {'round':>5} {'status':>6} {'seconds':>8}  verdict")
    for t in results:
        verdict = "ok" if t.ok else f"FAIL (want {t.expected} within {LIMIT_S:.0f} s)"
        print(
            f"{t.scenario:<9} {t.path:<9} {t.round:>5} {t.status:>6} {t.seconds:>8.2f}  {verdict}"
        )
    failed = [t for t in results if not t.ok]
    print(f"\n{len(results) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
