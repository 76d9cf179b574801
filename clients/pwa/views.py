"""The installable phone app: its manifest, its service worker and the offline app shell.

All three are public and hold nothing personal: the service worker caches only the
shell and the static files it lists, never a page someone is logged in to.
"""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

# What the service worker keeps for the offline shell: it, and the files it uses.
SHELL_FILES = ["vendor/bootstrap/bootstrap.phone.min.css", "css/app.css", "js/phone.js"]


def shell_assets() -> list[str]:
    return [reverse("pwa:offline"), *(static(path) for path in SHELL_FILES)]


@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    data = {
        "name": settings.STUDIO_NAME,
        "short_name": settings.STUDIO_NAME,
        "description": "Today's exercise, your sessions and your morning check-in.",
        "id": "/me/",
        "start_url": "/me/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0b5394",
        "icons": [
            {"src": static("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("icons/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    response = JsonResponse(data, content_type="application/manifest+json")
    patch_cache_control(response, public=True, max_age=3600)
    return response


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """Served from the site root, so it may control every page; browsers re-check it daily."""
    assets = shell_assets()
    version = hashlib.sha256(
        json.dumps(assets).encode() + render_to_string("clients/pwa/offline.html").encode()
    ).hexdigest()[:12]
    script = render_to_string(
        "clients/pwa/sw.js",
        {"cache": f"studio-{version}", "shell": assets[0], "assets": json.dumps(assets)},
    )
    response = HttpResponse(script, content_type="text/javascript; charset=utf-8")
    patch_cache_control(response, no_cache=True)
    return response


@require_GET
def offline(request: HttpRequest) -> TemplateResponse:
    """The app shell: static, the same for everyone; the phone fills in the stage's name."""
    response = TemplateResponse(request, "clients/pwa/offline.html", {})
    patch_cache_control(response, public=True, max_age=3600)
    return response


@require_GET
def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    """Browsers ask /favicon.ico of pages that name no icon (the admin's): never a 404."""
    return HttpResponsePermanentRedirect(static("icons/favicon.ico"))
