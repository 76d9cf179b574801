"""Bench-only middleware: the number of database queries of each request, in a header."""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.test.utils import CaptureQueriesContext

QUERIES_HEADER = "X-Bench-Queries"


def count_queries(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Count every query the request runs on the default database and return it in a header."""

    def middleware(request: HttpRequest) -> HttpResponse:
        with CaptureQueriesContext(connection) as captured:
            response = get_response(request)
        response[QUERIES_HEADER] = str(len(captured))
        return response

    return middleware
