"""gunicorn for the benchmarks: the app served as production serves it, on a free local
port, stopped on exit."""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path

from bench import PYTHON, ROOT, BenchError
from bench.browser import Browser


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def gunicorn_command(
    port: int, *, workers: int, extra: Sequence[str] = (), app: str = "coaching.wsgi"
) -> list[str]:
    """The README's gunicorn command, on a local port."""
    return [
        PYTHON,
        "-m",
        "gunicorn",
        app,
        "--workers",
        str(workers),
        *extra,
        "--bind",
        f"127.0.0.1:{port}",
    ]


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Ask gunicorn to stop; kill it if it has not within 30 s."""
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


class Server:
    """gunicorn coaching.wsgi --workers 3 on a free local port, stopped on exit.

    `app` names another WSGI module to serve (bench.tls_proxy for Lighthouse)."""

    def __init__(self, env: dict[str, str], log: Path, app: str = "coaching.wsgi") -> None:
        self.env = env
        self.log = log
        self.app = app
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Server:
        command = gunicorn_command(self.port, workers=3, app=self.app)
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
        stop(self.proc)

    def _tail(self) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-30:])
