"""Settings come from the environment and fail with one clear line when wrong."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD_PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "x" * 50,
    "ALLOWED_HOSTS": "studio.example.com",
    "EMAIL_HOST": "smtp.example.com",
    "SITE_URL": "https://studio.example.com",
}


def run_check(overrides: dict[str, str | None]) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DATABASE_URL"}}
    env.update(GOOD_PRODUCTION)
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"SECRET_KEY": None}, "SECRET_KEY is not set"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY is too short"),
        ({"ALLOWED_HOSTS": None}, "ALLOWED_HOSTS is not set"),
        ({"DEBUG": "maybe"}, "DEBUG must be true or false"),
        ({"DATABASE_URL": "nosuchdb://x"}, "DATABASE_URL is not a valid database URL"),
        ({"EMAIL_PORT": "twenty-five"}, "EMAIL_PORT must be a whole number"),
        ({"TIME_ZONE": "Mars/Olympus"}, "TIME_ZONE 'Mars/Olympus' is not a known"),
        ({"EMAIL_HOST": None}, "EMAIL_HOST is not set"),
        ({"SITE_URL": "studio.example.com"}, "SITE_URL must be the site's https:// address"),
    ],
)
def test_a_bad_production_setting_stops_start_up_with_one_clear_line(
    overrides: dict[str, str | None], message: str
) -> None:
    """No traceback: the process exits 1 and says what to fix."""
    result = run_check(overrides)
    assert result.returncode == 1
    assert result.stderr.startswith("Configuration error: ")
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_a_complete_production_environment_passes_the_checks() -> None:
    """With the required variables set, Django's system checks pass."""
    result = run_check({})
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_debug_alone_is_enough_for_a_local_run() -> None:
    """A laptop needs nothing but DEBUG=true: key, hosts and email have safe defaults."""
    result = run_check(
        {
            "DEBUG": "true",
            "SECRET_KEY": None,
            "ALLOWED_HOSTS": None,
            "EMAIL_HOST": None,
            "SITE_URL": None,
        }
    )
    assert result.returncode == 0, result.stderr
