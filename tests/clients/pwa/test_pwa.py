"""The phone app's public files: manifest, service worker, offline shell, icons, and the
cut-down Bootstrap the phone pages load."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client as HttpClient

from clients.models import Client
from clients.pwa.css import defined_classes, source_texts, subset, used_names

pytestmark = pytest.mark.django_db
TEMPLATES = Path(settings.BASE_DIR) / "templates"


def test_the_manifest_names_the_app_its_start_and_its_icons(client: HttpClient) -> None:
    response = client.get("/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["start_url"] == "/me/" and manifest["display"] == "standalone"
    assert {icon["sizes"] for icon in manifest["icons"]} >= {"192x192", "512x512"}
    assert any(icon.get("purpose") == "maskable" for icon in manifest["icons"])
    for icon in manifest["icons"]:
        assert finders.find(icon["src"].removeprefix("/static/"))


def test_the_service_worker_is_served_from_the_root_and_keeps_only_public_files(
    client: HttpClient,
) -> None:
    response = client.get("/sw.js")
    assert response["Content-Type"].startswith("text/javascript")
    assert "no-cache" in response["Cache-Control"]
    script = response.content.decode()
    files = json.loads(re.search(r"FILES = (\[.*?\]);", script).group(1))  # type: ignore[union-attr]
    assert files[0] == "/offline/"
    assert all(f.startswith("/static/") for f in files[1:]), files
    assert "/me/" not in script.replace('"/me/"', "")
    assert 'credentials: "omit"' in script  # the shell is fetched as nobody in particular


def test_the_offline_shell_is_the_same_for_everyone(client: HttpClient, client_a: Client) -> None:
    anonymous = client.get("/offline/").content
    client.force_login(client_a.user)
    logged_in = client.get("/offline/")
    assert logged_in.content == anonymous
    assert client_a.user.email.encode() not in anonymous
    assert b"data-shell-stage" in anonymous and b"You are offline" in anonymous


def test_the_favicon_is_never_a_404(client: HttpClient) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert finders.find(response["Location"].removeprefix("/static/"))
    assert b'rel="icon"' in client.get("/").content


def test_only_client_pages_load_the_phone_app(client: HttpClient, client_a: Client) -> None:
    """Visitors' pages keep their own budget: no manifest, no service worker, no phone.js."""
    visitor = client.get("/assessment/").content.decode()
    assert "phone.js" not in visitor and "manifest.webmanifest" not in visitor
    client.force_login(client_a.user)
    page = client.get("/me/").content.decode()
    assert 'rel="manifest" href="/manifest.webmanifest"' in page
    assert "phone.js" in page and 'data-sw="/sw.js"' in page
    assert f'data-owner="{client_a.user.pk}"' in page
    assert "bootstrap.phone.min.css" in page


PHONE_TEMPLATES = [
    "base.html",
    "clients/today.html",
    "clients/log_session.html",
    "clients/_status.html",
    "clients/_consent.html",
    "clients/_emergency.html",
    "clients/fields/pain_scale.html",
    "clients/pwa/offline.html",
    "exercises/_player.html",
    "includes/error_summary.html",
]


def test_the_cut_bootstrap_has_every_class_the_phone_pages_use() -> None:
    """A Bootstrap class added to a phone page but missing from the cut fails here:
    run `make css` (it keeps every class any template, form or script names)."""
    folder = Path(settings.BASE_DIR) / "static" / "vendor" / "bootstrap"
    full = defined_classes((folder / "bootstrap.min.css").read_text())
    cut = defined_classes((folder / "bootstrap.phone.min.css").read_text())
    used: set[str] = set()
    for name in PHONE_TEMPLATES:
        text = (TEMPLATES / name).read_text()
        for attribute in re.findall(r'class="([^"]*)"', text):
            plain = re.sub(r"\{[{%].*?[}%]\}", " ", attribute)
            used |= set(plain.split())
    missing = sorted((used & full) - cut)
    assert not missing, f"run `make css`: {missing}"


def test_the_cut_keeps_rules_whose_classes_are_all_used() -> None:
    css = (
        ".a{x:1}.b .c{y:2}.a,.z{w:3}@media (min-width:1px){.z{q:1}.a{r:1}}"
        "@keyframes spin{0%{t:1}}.a{animation:spin}"
    )
    assert subset(css, {"a", "b"}, set()) == (
        ".a{x:1}.a{w:3}@media (min-width:1px){.a{r:1}}.a{animation:spin}@keyframes spin{0%{t:1}}"
    )
    assert subset(".alert-info{c:1}", set(), {"alert-"}) == ".alert-info{c:1}"
    words, prefixes = used_names(['<p class="alert-{{ tag }} mb-2">'])
    assert {"mb-2", "alert-"} <= words | prefixes


def test_make_css_would_keep_what_the_committed_cut_keeps() -> None:
    """The committed cut is at least what the current templates need (a superset is fine)."""
    folder = Path(settings.BASE_DIR) / "static" / "vendor" / "bootstrap"
    words, prefixes = used_names(source_texts(Path(settings.BASE_DIR)))
    fresh = defined_classes(subset((folder / "bootstrap.min.css").read_text(), words, prefixes))
    committed = defined_classes((folder / "bootstrap.phone.min.css").read_text())
    assert not sorted(fresh - committed), "run `make css`"
