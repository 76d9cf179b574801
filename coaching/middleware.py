"""Pages with personal data are never stored by browsers or shared caches.

Every response to a request that came with a session (a logged-in user, or
one logging out) or that logged someone in, and every response of a view
marked `@no_store` (the booking's private manage link), carries
`Cache-Control: no-store, private` and `Vary: Cookie`, so the back button after
logout, a shared computer or a proxy cannot show them again. Redirects and
error pages included: the middleware sees the final response, whatever the
view raised.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import patch_cache_control, patch_vary_headers

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from coaching.accounts.models import User

# The request attribute a view sets (through @no_store) to ask for the header.
NO_STORE = "no_store"

Handler = Callable[[HttpRequest], HttpResponseBase]


def no_store[**P, R](view: Callable[P, R]) -> Callable[P, R]:
    """Mark a view's responses (even its 404s) as never to be stored, logged in or not."""

    @wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        request = args[0]
        setattr(request, NO_STORE, True)
        return view(*args, **kwargs)

    return wrapper


def wants_no_store(request: HttpRequest, *, had_session: bool) -> bool:
    """Private: marked so, or the request came with a session (logged in, or logging out),
    or it logged someone in."""
    if had_session or getattr(request, NO_STORE, False):
        return True
    # Without a session cookie this costs no query; it is true after a login in this request.
    user: User | AnonymousUser | None = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


class NoStoreMiddleware:
    """Adds `Cache-Control: no-store, private` and `Vary: Cookie` to private responses."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        had_session = settings.SESSION_COOKIE_NAME in request.COOKIES
        response = self.get_response(request)
        if wants_no_store(request, had_session=had_session):
            patch_cache_control(response, no_store=True, private=True)
            patch_vary_headers(response, ("Cookie",))
        return response


class PageGZipMiddleware(GZipMiddleware):
    """HTML and other whole responses compressed (DESIGN: "HTML compressed too").

    Static files are WhiteNoise's, already compressed, and answered before this
    middleware (it sits inside WhiteNoise). Streamed responses, the videos served
    in byte ranges above all, are left as they are: a compressed 206 would no longer
    match its Content-Range. Django's GZip adds random padding against BREACH.
    """

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if response.streaming or response.status_code == 206:
            return response
        return super().process_response(request, response)
