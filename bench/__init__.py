"""Benchmarks, not tests (CI never runs them).

`python -m bench` (`make bench`): the scale benchmark, the app at 2,000 clients against
20 on gunicorn (bench/run.py). `python -m bench.lighthouse` (`make lighthouse`): the
phone pages' Lighthouse scores. `python -m bench.outage`: how fast the app fails when its
database is down. bench.settings, bench.urls and bench.middleware load only when
DJANGO_SETTINGS_MODULE=bench.settings, which the scale benchmark sets for its servers.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PYTHON = sys.executable


class BenchError(Exception):
    """Something is wrong with a page or the set-up: the run stops with this message."""
