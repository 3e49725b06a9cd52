"""Middleware of the desk: sessions that end after idle time, and headers that keep pages private."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect, resolve_url

RENEW_SECONDS = 60  # a session is saved again at most once a minute (a write per page view would slow every save)


class IdleTimeout:
    """A logged-in session with no request for KIOSK_DESK_IDLE_MINUTES ends; a request renews it (the
    session and its cookie are saved again at most once a minute)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            seen = request.session.get("seen", now)
            if now - seen > settings.SESSION_COOKIE_AGE:
                logout(request)
                return redirect(resolve_url(settings.LOGIN_URL) + "?idle=1")
            if now - seen >= RENEW_SECONDS or "seen" not in request.session:
                request.session["seen"] = now  # saves the session: its expiry moves on
        return self.get_response(request)


class ContentSecurityPolicy:
    """The desk's pages load only its own scripts and styles, and are never kept in a shared cache."""

    POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
              "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(settings.STATIC_URL):
            response.setdefault("Cache-Control", "no-store")
            if response.get("Content-Type", "").startswith("text/html"):
                response.setdefault("Content-Security-Policy", self.POLICY)
        return response
