"""The app's URLs plus a bare view, for the benchmark only (ROOT_URLCONF in bench.settings)."""

from __future__ import annotations

from django.conf import urls as django_urls
from django.http import HttpRequest, HttpResponse
from django.urls import path

from coaching import urls as app_urls


def bare(request: HttpRequest) -> HttpResponse:
    """The cheapest page the stack can serve: every other page is compared with it."""
    return HttpResponse("ok")


urlpatterns = [path("bench/bare/", bare, name="bench_bare"), *app_urls.urlpatterns]

handler400 = getattr(app_urls, "handler400", django_urls.handler400)
handler403 = getattr(app_urls, "handler403", django_urls.handler403)
handler404 = getattr(app_urls, "handler404", django_urls.handler404)
handler500 = getattr(app_urls, "handler500", django_urls.handler500)
