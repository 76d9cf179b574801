"""Settings come from the environment and fail with one clear line when wrong."""

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Set for the test run itself (the browser tests' Playwright loop sets the async one):
# a production process started by a test must not inherit them.
TEST_ONLY_VARIABLES = {"DEBUG", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
GOOD_PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "x" * 50,
    "ALLOWED_HOSTS": "studio.example.com",
    "EMAIL_HOST": "smtp.example.com",
    "SITE_URL": "https://studio.example.com",
}


def run_check(overrides: dict[str, str | None]) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in TEST_ONLY_VARIABLES}
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


# --- Production hardening: check --deploy, HSTS, database timeouts, trusted proxy ---------

README_DATABASE_URL = "postgres://user:pass@db:5432/studio"
# A key as `python -c 'import secrets; print(secrets.token_urlsafe(50))'` makes one
# (check --deploy wants 50 characters with some variety).
RANDOM_KEY = "k3J9-vQx_2LmZt8RwYp5HsNc4Ub7Ae1Df6Gi0Oj_Xy2Wq9Er3Tz5Mv8Bn1Pl4Kc7Sa"


def production_env(overrides: dict[str, str | None]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in TEST_ONLY_VARIABLES}
    env.pop("STUDIO_PROCESS", None)
    env.update(GOOD_PRODUCTION)
    env.update({"SECRET_KEY": RANDOM_KEY, "DATABASE_URL": README_DATABASE_URL})
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def production_settings(overrides: dict[str, str | None], *, entry: str = "") -> dict[str, Any]:
    """Settings as a production process sees them; `entry` imports an entry point first."""
    code = (
        "import json, os\n"
        + (f"import {entry}\n" if entry else "import django; django.setup()\n")
        + "from django.conf import settings as s\n"
        + "db = s.DATABASES['default']\n"
        + "print(json.dumps({'hsts': s.SECURE_HSTS_SECONDS, "
        + "'subdomains': s.SECURE_HSTS_INCLUDE_SUBDOMAINS, 'preload': s.SECURE_HSTS_PRELOAD, "
        + "'silenced': s.SILENCED_SYSTEM_CHECKS, 'options': db.get('OPTIONS', {}), "
        + "'proxy': [s.TRUSTED_PROXY_HEADER, s.TRUSTED_PROXY_COUNT]}, default=str))\n"
    )
    env = production_env(overrides)
    env["DJANGO_SETTINGS_MODULE"] = "coaching.settings"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    values: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return values


def check_deploy(overrides: dict[str, str | None]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(overrides),
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_check_deploy_is_clean_with_the_readmes_production_variables() -> None:
    result = check_deploy({})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues (1 silenced)" in result.stdout


def test_hsts_defaults_to_a_year_with_subdomains_and_preload_off() -> None:
    """While preload is off, its check (W021) is silenced in settings, not ignored at deploy."""
    values = production_settings({})
    assert values["hsts"] == 31_536_000 and values["subdomains"] is True
    assert values["preload"] is False and values["silenced"] == ["security.W021"]


def test_preload_is_one_variable_away_and_then_nothing_is_silenced() -> None:
    values = production_settings({"SECURE_HSTS_PRELOAD": "true"})
    assert values["preload"] is True and values["silenced"] == []
    result = check_deploy({"SECURE_HSTS_PRELOAD": "true"})
    assert result.returncode == 0 and "no issues (0 silenced)" in result.stdout


def test_the_database_fails_fast_for_every_process() -> None:
    """About 3 s to connect, at most 3 s to wait for a pooled connection."""
    options = production_settings({"DB_POOL_TIMEOUT": "30"})["options"]
    assert options["connect_timeout"] == 3
    assert options["pool"]["timeout"] == 3


def test_commands_and_migrations_get_no_statement_timeout() -> None:
    """manage.py (migrate, tick, db_worker) may run long statements."""
    assert "options" not in production_settings({})["options"]


@pytest.mark.parametrize("entry", ["coaching.wsgi", "coaching.asgi"])
def test_web_processes_get_a_statement_timeout(entry: str) -> None:
    """The WSGI and ASGI entry points mark the process as web; settings add the timeout."""
    options = production_settings({}, entry=entry)["options"]
    assert options["options"] == "-c statement_timeout=5000"
    assert options["connect_timeout"] == 3 and options["pool"]["timeout"] == 3


def test_the_client_address_comes_from_remote_addr_unless_a_proxy_is_named() -> None:
    assert production_settings({})["proxy"] == ["", 0]
    named = production_settings({"TRUSTED_PROXY_HEADER": "X-Forwarded-For"})
    assert named["proxy"] == ["X-Forwarded-For", 1]
    two = production_settings(
        {"TRUSTED_PROXY_HEADER": "X-Forwarded-For", "TRUSTED_PROXY_COUNT": "2"}
    )
    assert two["proxy"] == ["X-Forwarded-For", 2]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"TRUSTED_PROXY_HEADER": "X Forwarded: For"}, "TRUSTED_PROXY_HEADER must be a header"),
        ({"TRUSTED_PROXY_COUNT": "-1"}, "TRUSTED_PROXY_COUNT must be 0 or more"),
        ({"TRUSTED_PROXY_COUNT": "one"}, "TRUSTED_PROXY_COUNT must be a whole number"),
    ],
)
def test_a_bad_proxy_setting_stops_start_up_with_one_clear_line(
    overrides: dict[str, str | None], message: str
) -> None:
    result = run_check(overrides)
    assert result.returncode == 1 and message in result.stderr
