"""Response headers that keep pages out of frames, caches and other origins' reach."""

import secrets

from flask import Flask, g, request


def _nonce() -> str:
    """This request's nonce, made when first asked for: an error page can be rendered before any
    before-request function runs (a refused CSRF token stops the request in the first one)."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def init_app(app: Flask) -> None:
    @app.context_processor
    def _template_nonce():
        # The GOV.UK page template has one inline script (it marks the body as JavaScript-enabled);
        # it runs under this per-request nonce and nothing else inline can.
        return {"cspNonce": _nonce()}

    @app.after_request
    def _headers(response):
        nonce = _nonce()
        response.headers["Content-Security-Policy"] = "; ".join(
            [
                "default-src 'self'",
                f"script-src 'self' 'nonce-{nonce}'",
                "style-src 'self'",
                "img-src 'self' data:",
                "font-src 'self'",
                "connect-src 'self'",
                "object-src 'none'",
                "base-uri 'none'",
                "form-action 'self'",
                "frame-ancestors 'none'",
            ]
        )
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
        response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        if request.is_secure:
            response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        if not request.path.startswith("/assets/"):
            # Pages may carry OFFICIAL-SENSITIVE data: never keep them in a browser or proxy cache.
            response.headers["Cache-Control"] = "no-store"
            response.headers["Pragma"] = "no-cache"
        return response
