"""Middleware of the desk: sessions that end after idle time (and the login page told so), headers that keep
pages private, a page in Chinese for a 405; and the log's filter that keeps refusals to one line."""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect, render, resolve_url

RENEW_SECONDS = 60  # a session is saved again at most once a minute (a write per page view would slow every save)


class IdleTimeout:
    """A logged-in session with no request for KIOSK_DESK_IDLE_MINUTES ends; a request renews it (the
    session and its cookie are saved again at most once a minute)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        login = resolve_url(settings.LOGIN_URL)
        if request.user.is_authenticated:
            now = int(time.time())
            seen = request.session.get("seen", now)
            if now - seen > settings.SESSION_COOKIE_AGE:
                logout(request)
                return redirect(login + "?idle=1")
            if now - seen >= RENEW_SECONDS or "seen" not in request.session:
                request.session["seen"] = now  # saves the session: its expiry moves on
            return self.get_response(request)
        # the browser still sends the cookie of a session the database has let expire: ended by idle time
        expired = bool(request.COOKIES.get(settings.SESSION_COOKIE_NAME)) and request.session.session_key is None
        response = self.get_response(request)
        if expired and response.status_code == 302 and response["Location"].startswith(login):
            response["Location"] += ("&" if "?" in response["Location"] else "?") + "idle=1"
        return response


class ContentSecurityPolicy:
    """The desk's pages load only its own scripts and styles, and are never kept in a shared cache."""

    POLICY = (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(settings.STATIC_URL):
            response.setdefault("Cache-Control", "no-store")
            if response.get("Content-Type", "").startswith("text/html"):
                response.setdefault("Content-Security-Policy", self.POLICY)
        return response


class NotAllowedPage:
    """A method an address does not take (a GET of the logout button's address, a POST to a list) is a 405,
    which Django answers with an empty page: the desk's page says it in Chinese."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 405 or response.content:
            return response
        page = render(request, "desk/405.html", status=405)
        page["Allow"] = response.get("Allow", "")
        return page


class RefusalsWithoutTraceback(logging.Filter):
    """A refused request (400 bad host, 403, 404, 405) is logged as Django's one line, without the traceback
    it adds to some: a refusal is no fault of the desk (settings.LOGGING)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if 400 <= getattr(record, "status_code", 0) < 500:
            record.exc_info, record.exc_text = None, None
        return True
