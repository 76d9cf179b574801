"""The installable phone app in a real Chromium at a phone viewport: the service worker,
the offline shell, logs that survive a lost connection or an expired login, the video."""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile
from playwright.sync_api import Browser, BrowserContext, Page, expect

from clients.models import Client, TrainingSession
from exercises.models import Exercise
from exercises.services import MediaChange, update_media
from tests.e2e.conftest import PHONE, assert_accessible, assert_no_horizontal_scroll, log_in
from tests.e2e.test_client_phone import tap_pain
from tests.exercises.conftest import FILES, noisy_png

pytestmark = pytest.mark.e2e
PAGE_BUDGET, JS_BUDGET = 60_000, 20_000  # bytes, compressed (DESIGN.md, "Front end and budgets")
MARIA = "maria@example.com"


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def give_video(client_email: str) -> Exercise:
    """The client's current exercise gets the 30-second clip, a poster, captions and 0:25."""
    from exercises.media import make_poster

    client = Client.objects.select_related("stage__exercise").get(user__email=client_email)
    assert client.stage is not None
    return update_media(
        exercise=client.stage.exercise,
        change=MediaChange(
            video=ContentFile((FILES / "clip.webm").read_bytes()),
            video_type="video/webm",
            poster_webp=make_poster(noisy_png()),
            captions_text=(FILES / "captions.vtt").read_text(),
            technique_at=25,
        ),
    )


@pytest.fixture
def app(browser: Browser, live_server: Any) -> Iterator[BrowserContext]:
    """A phone context that lets service workers run (the other fixtures block none either)."""
    context = browser.new_context(
        **PHONE, base_url=live_server.url, bypass_csp=True, locale="en-GB"
    )
    context.set_default_timeout(10_000)
    yield context
    context.close()


def controlled(page: Page) -> None:
    """The service worker is active and controls the page (the install criteria ask it).

    It claims the page it was installed from; a page left while it installed is
    controlled from its next load, as on a phone."""
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    if not page.evaluate("navigator.serviceWorker.controller !== null"):
        page.reload()
    page.wait_for_function("navigator.serviceWorker.controller !== null")


def fill_session(page: Page) -> None:
    for legend in ["Pain before", "Worst pain during", "Pain after"]:
        tap_pain(page, legend, 1)
    page.get_by_label("Hips and glutes").check()
    page.get_by_role("group", name="Did your lower back hurt?").get_by_label(
        "No", exact=True
    ).check()


def sessions_of(email: str) -> int:
    return TrainingSession.objects.filter(client__user__email=email).count()


def test_the_app_meets_the_install_criteria_and_opens_offline(
    app: BrowserContext, demo_studio: None
) -> None:
    """A manifest with 192 and 512 px icons, a service worker controlling the page; offline,
    the shell opens with the stage's name from the last visit; nothing private is cached."""
    page = app.new_page()
    log_in(page, MARIA)
    page.goto("/me/")
    stage = page.locator("h1").get_attribute("data-stage-name")
    assert stage
    controlled(page)
    manifest = page.evaluate(
        "fetch(document.querySelector('link[rel=manifest]').href).then(r => r.json())"
    )
    assert manifest["start_url"] == "/me/" and manifest["display"] == "standalone"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        assert page.request.get(icon["src"]).status == 200
    assert page.request.get("/favicon.ico").status == 200

    cached = page.evaluate(
        """caches.keys().then(names => Promise.all(names.map(n => caches.open(n)
             .then(c => c.keys()).then(reqs => reqs.map(r => new URL(r.url).pathname)))))
           .then(lists => lists.flat())"""
    )
    assert "/offline/" in cached
    assert all(path == "/offline/" or path.startswith("/static/") for path in cached), cached

    app.set_offline(True)
    page.goto("/me/")
    expect(page.get_by_role("heading", name="You are offline")).to_be_visible()
    expect(page.locator("[data-shell-stage]")).to_have_text(stage)
    assert_accessible(page)
    app.set_offline(False)

    # Logging out wipes the phone's copy.
    page.goto("/me/")
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"://[^/]+/$"))
    page.wait_for_load_state()
    names = page.evaluate("indexedDB.databases().then(dbs => dbs.map(d => d.name))")
    assert "studio" not in names


def test_a_session_logged_offline_is_sent_once_when_back_online(
    app: BrowserContext, demo_studio: None
) -> None:
    page = app.new_page()
    log_in(page, MARIA)
    page.goto("/me/log/")
    controlled(page)
    before = sessions_of(MARIA)
    fill_session(page)
    app.set_offline(True)
    page.get_by_role("button", name="Save session").click()
    note = page.locator("#phone-note")
    expect(note).to_contain_text("Saved on this phone, will send when you are back online.")
    expect(page.get_by_role("group", name="Pain before").locator("input:checked")).to_have_value(
        "1"
    )
    page.get_by_role("button", name="Save session").click()  # a second tap keeps one copy
    assert sessions_of(MARIA) == before
    assert (
        page.evaluate(
            """new Promise(ok => { const r = indexedDB.open('studio');
             r.onsuccess = () => { const q = r.result.transaction('outbox').objectStore('outbox')
               .count(); q.onsuccess = () => { r.result.close(); ok(q.result); }; }; })"""
        )
        == 1
    )

    app.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")  # as the phone does on reconnect
    expect(note).to_contain_text("Sent: the session saved on this phone is logged.")
    assert sessions_of(MARIA) == before + 1
    # The same entry tapped again (its form still holds the token) saves nothing more.
    page.get_by_role("button", name="Save session").click()
    expect(page.locator("#log-section").get_by_role("status")).to_contain_text("Session saved")
    assert sessions_of(MARIA) == before + 1


def test_htmx_errors_show_a_message_and_keep_what_was_typed(
    app: BrowserContext, demo_studio: None
) -> None:
    page = app.new_page()
    log_in(page, MARIA)
    page.goto("/me/log/")
    fill_session(page)
    page.route("**/me/log/", lambda route: route.fulfill(status=500, body="boom"))
    page.get_by_role("button", name="Save session").click()
    expect(page.locator("#phone-note")).to_contain_text("Something went wrong on our side")
    expect(page.get_by_label("Hips and glutes")).to_be_checked()
    page.unroute("**/me/log/")


def test_an_expired_login_keeps_the_entry_and_saves_it_after_logging_in(
    app: BrowserContext, demo_studio: None
) -> None:
    page = app.new_page()
    log_in(page, MARIA)
    page.goto("/me/log/")
    before = sessions_of(MARIA)
    fill_session(page)
    Session.objects.all().delete()  # the login expires while the form is open
    page.get_by_role("button", name="Save session").click()
    note = page.locator("#phone-note")
    expect(note).to_contain_text("Your login has expired. Your entry is saved on this phone")
    expect(page.get_by_label("Hips and glutes")).to_be_checked()  # no login page in the form
    expect(page.locator("form[data-outbox]")).to_be_visible()
    assert sessions_of(MARIA) == before

    note.get_by_role("link", name="Log in again").click()
    page.get_by_label("Email address").fill(MARIA)
    page.get_by_label("Password").fill("demo-pass-123")
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/me/log/$"))
    expect(page.locator("#phone-note")).to_contain_text("Sent: the session saved on this phone")
    assert sessions_of(MARIA) == before + 1


def test_the_video_plays_and_jumps_to_the_technique_chapter(
    app: BrowserContext, demo_studio: None, media: None
) -> None:
    exercise = give_video(MARIA)
    page = app.new_page()
    fetched: list[tuple[str, int]] = []
    # On the context: once the service worker controls the page, its fetches show there.
    app.on("response", lambda r: fetched.append((r.url, r.status)))
    log_in(page, MARIA)
    page.goto("/me/")
    video = page.locator("video")
    expect(video).to_have_attribute("preload", "none")
    page.wait_for_load_state("networkidle")
    assert not [u for u, _ in fetched if "/video/" in u], "the video loaded before play"
    assert_accessible(page)

    page.get_by_role("link", name="Technique: 0:25").click()
    page.wait_for_function("document.querySelector('video').currentTime >= 25")
    for _ in range(50):  # the events of the worker's fetches may trail the page's clock
        if any("/video/" in u and status == 206 for u, status in fetched):
            break
        page.wait_for_timeout(100)
    assert any("/video/" in u and status == 206 for u, status in fetched), [
        f for f in fetched if "/video/" in f[0]
    ]
    playing = page.evaluate("(v => !v.paused || v.ended)(document.querySelector('video'))")
    assert playing
    assert exercise.slug in page.locator("video source").get_attribute("src")


def test_times_follow_the_phones_12_or_24_hour_clock(
    browser: Browser, live_server: Any, demo_studio: None
) -> None:
    clocks = {"en-US": r"\d{1,2}:\d{2}\s?[AP]M", "en-GB": r"\d{2}:\d{2}"}
    for locale, clock in clocks.items():
        context = browser.new_context(**PHONE, base_url=live_server.url, locale=locale)
        page = context.new_page()
        log_in(page, MARIA)
        page.goto("/me/log/")
        fill_session(page)
        page.get_by_role("button", name="Save session").click()
        expect(page.locator("#log-section time")).to_have_text(re.compile(f"^{clock}$"))
        context.close()


def test_the_pain_grid_fits_at_200_percent_zoom(
    browser: Browser, live_server: Any, demo_studio: None
) -> None:
    """200 % zoom on a 390 px phone leaves 195 CSS px: the buttons wrap, nothing scrolls."""
    context = browser.new_context(
        viewport={"width": 195, "height": 422}, device_scale_factor=4, base_url=live_server.url
    )
    page = context.new_page()
    log_in(page, MARIA)
    page.goto("/me/log/")
    assert_no_horizontal_scroll(page)
    box = page.locator(".pain-options").first.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 195
    context.close()


def cold_load(context: BrowserContext, page: Page, url: str) -> tuple[int, int, list[Any]]:
    """Every distinct response of a cold load, page and service worker alike, compressed as
    WhiteNoise and gzip would send it. A URL fetched twice (the worker's install copies a
    file the page already has) is paid once: hashed static names are cached for a year."""
    bodies: dict[str, tuple[str, int]] = {}

    def record(response: Any) -> None:
        if response.status == 200 and response.url not in bodies:
            kind = response.request.resource_type
            if response.url.endswith(".js"):
                kind = "script"
            # A service worker's fetch shows no body to the page: ask for the same file.
            body = response.body() or context.request.get(response.url).body()
            bodies[response.url] = (kind, len(gzip.compress(body, compresslevel=9)))

    context.on("response", record)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.wait_for_function("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_timeout(500)
    context.remove_listener("response", record)
    total = sum(size for _, size in bodies.values())
    script = sum(size for kind, size in bodies.values() if kind == "script")
    return total, script, sorted((size, kind, u) for u, (kind, size) in bodies.items())


@pytest.mark.parametrize("url", ["/me/", "/me/log/"])
def test_the_phone_pages_weigh_at_most_60_kb_with_20_kb_of_script(
    browser: Browser, live_server: Any, demo_studio: None, media: None, url: str
) -> None:
    """Cold: a new phone, logged in, the poster of the stage's video included (it shows
    before play); the video itself is not fetched until play."""
    give_video(MARIA)
    login = browser.new_context(**PHONE, base_url=live_server.url)
    page = login.new_page()
    log_in(page, MARIA)
    cookies = login.cookies()
    login.close()
    context = browser.new_context(**PHONE, base_url=live_server.url)
    context.add_cookies(cookies)
    page = context.new_page()
    total, script, rows = cold_load(context, page, url)
    print(
        f"\n{url} cold load: {total / 1000:.1f} KB compressed ({script / 1000:.1f} KB JavaScript)"
    )
    for size, kind, where in rows:
        print(f"  {size / 1000:6.1f} KB  {kind:10} {where}")
    assert not [r for r in rows if "/video/" in r[2]]
    assert total <= PAGE_BUDGET, rows
    assert script <= JS_BUDGET, rows
    context.close()
