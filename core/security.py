"""Security headers on every response."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, Response, request


def content_security_policy(leads_url: str) -> str:
    """Return the CSP: scripts and styles from our own files only, no framing."""
    form_action = "'self'"
    origin = urlsplit(leads_url)
    if origin.scheme and origin.netloc:
        form_action += f" {origin.scheme}://{origin.netloc}"
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            f"form-action {form_action}",
            "frame-ancestors 'none'",
        ]
    )


def init_app(app: Flask) -> None:
    """Add the security headers to every response."""
    csp = content_security_policy(app.config["LEADS_URL"])

    @app.after_request
    def _security_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", csp)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if request.is_secure:
            headers.setdefault("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
        return response


def rate_limit_warning(workers: int, storage_uri: str) -> str | None:
    """Return a start-up warning when rate limits would not hold across worker processes.

    ``memory://`` counts per process: with N workers an address gets about N times its limit
    (28 of 40 posts passed with 3 workers). Redis (``RATELIMIT_STORAGE_URI=redis://…``) is shared.
    """
    if workers > 1 and storage_uri.startswith("memory://"):
        return (
            f"rate limits use memory:// but {workers} workers serve: each worker counts on its "
            "own, so limits and sign-in throttling do not hold; set "
            "RATELIMIT_STORAGE_URI=redis://… (see docs/deploy.md)"
        )
    return None
