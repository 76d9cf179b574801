"""Real-browser tests: Debian's Chromium driven by Playwright against live_server."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.test import override_settings
from playwright.sync_api import Browser, Page

# Playwright's sync API runs an event loop in the test thread; the ORM calls the
# tests make there (fixtures, assertions) are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def chromium_path() -> str | None:
    return (
        os.environ.get("CHROMIUM_PATH")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    args = {
        **browser_type_launch_args,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }
    if path := chromium_path():
        args["executable_path"] = path
    return args


def _new_page(browser: Browser, device: dict[str, Any], base_url: str) -> Iterator[Page]:
    # bypass_csp lets axe-core be injected; the app's own pages never need it.
    context = browser.new_context(
        **device, base_url=base_url, bypass_csp=True, reduced_motion="reduce"
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(autouse=True)
def _library(seeded_transactional_db: None) -> None:
    """Every browser test runs on a transactional database with the library seeded."""


@pytest.fixture
def phone(browser: Browser, live_server: Any) -> Iterator[Page]:
    """A page at a 390x844 phone viewport, pointed at the live server."""
    yield from _new_page(browser, PHONE, live_server.url)


@pytest.fixture
def desktop(browser: Browser, live_server: Any) -> Iterator[Page]:
    """A page at a desktop viewport, pointed at the live server."""
    yield from _new_page(browser, DESKTOP, live_server.url)


@pytest.fixture
def demo_studio() -> None:
    """The demo studio from seed_demo, with its documented logins."""
    with override_settings(DEBUG=True):
        call_command("seed_demo", stdout=StringIO())


def log_in(page: Page, email: str, password: str = "demo-pass-123") -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def assert_accessible(page: Page) -> None:
    """axe-core finds no WCAG 2.2 A/AA violation on the page as it is now."""
    results = Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]},
    )
    assert results.violations_count == 0, results.generate_report()


def assert_no_horizontal_scroll(page: Page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"page scrolls sideways by {overflow}px"
