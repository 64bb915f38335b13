"""One log line per request: request id, user id, status, time and query count (dangbo.request logger).

The request id comes from the proxy's ``X-Request-ID`` header when it is a sane token, otherwise a new one;
it is answered in ``X-Request-ID`` so a user's report can be matched with the log. Requests slower than
``SLOW_REQUEST_MS`` are logged again at WARNING with their queries (SQL and time of each, the first 50).
"""

import logging
import re
import time
import uuid

from django.conf import settings
from django.db import connections

logger = logging.getLogger("dangbo.request")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
MAX_SLOW_QUERIES = 50


class _QueryRecorder:
    """A database execute wrapper counting queries and keeping their SQL and time."""

    def __init__(self):
        self.count = 0
        self.queries = []

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.count += 1
            if len(self.queries) < MAX_SLOW_QUERIES:
                self.queries.append({"sql": sql[:2000], "ms": round((time.perf_counter() - start) * 1000, 1)})


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request.request_id = given if _REQUEST_ID.match(given) else uuid.uuid4().hex
        recorder = _QueryRecorder()
        start = time.perf_counter()
        wrappers = [conn.execute_wrapper(recorder) for conn in connections.all(initialized_only=False)]
        status = 500
        try:
            for w in wrappers:
                w.__enter__()
            response = self.get_response(request)
            status = response.status_code
        finally:
            for w in reversed(wrappers):
                w.__exit__(None, None, None)
            self._log(request, status, recorder, (time.perf_counter() - start) * 1000)
        response["X-Request-ID"] = request.request_id
        return response

    def _log(self, request, status, recorder, ms):
        user = getattr(request, "user", None)
        fields = {
            "request_id": request.request_id,
            "method": request.method,
            "path": request.path,
            "status": status,
            "user_id": user.pk if user is not None and user.is_authenticated else None,
            "ms": round(ms, 1),
            "queries": recorder.count,
        }
        message = "{method} {path} {status} {ms}ms {queries}q user={user_id} id={request_id}".format(**fields)
        logger.info(message, extra=fields)
        if ms > settings.SLOW_REQUEST_MS:
            lines = "".join(f"\n  {q['ms']}ms {q['sql']}" for q in recorder.queries)
            logger.warning(
                f"slow request {request.method} {request.path} {ms:.0f}ms ({recorder.count} queries){lines}",
                extra={**fields, "slow": True, "sql": recorder.queries},
            )


class RejectNulMiddleware:
    """A request with the NUL character in a query or form value (or name) is refused with a 400 page.

    PostgreSQL cannot store NUL in text, and no field of this site means one: it comes from a damaged paste
    or a forged request. Form fields refuse it too (Django's ``CharField``); this covers the values a view
    reads directly. Placed after the locale and authentication middleware, so the page is the user's own.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request.GET) or (request.method == "POST" and _has_nul(request.POST)):
            from django.shortcuts import render

            return render(request, "core/bad_request.html", status=400)
        return self.get_response(request)


def _has_nul(query):
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in query.lists())
