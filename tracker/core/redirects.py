"""Where a `next` parameter may send someone: only to a page of this app, never to another site.

Every view that redirects to a place named by the request (a `next` field or parameter, the page asked
for before signing in) goes through `safe_next`, so one check decides it for the whole app.
"""

from __future__ import annotations

from urllib.parse import quote, unquote, urlsplit, urlunsplit

from flask import current_app, request
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect


def _has_control_characters(text: str) -> bool:
    return any(ord(c) < 32 or ord(c) == 127 for c in text)


def local_path(target: str | None, method: str = "GET") -> str | None:
    """`target` as a path and query of a page this app serves to `method`, or None if it is not one.

    A browser ignores tabs and newlines in a Location and reads `\\` as `/`, so `/%09/evil.example`
    or `/\\evil.example` would leave the site: the path is decoded and refused if it holds any control
    character or backslash, then must match a route of the app's URL map.
    """
    if not target or len(target) > 2000 or _has_control_characters(target) or "\\" in target:
        return None
    try:
        parts = urlsplit(target)
    except ValueError:
        return None
    if parts.scheme or parts.netloc or parts.fragment:
        return None
    path = unquote(parts.path)
    if (
        not path.startswith("/")
        or path.startswith("//")
        or "\\" in path
        or _has_control_characters(path)
        or _has_control_characters(unquote(parts.query))
    ):
        return None
    adapter = current_app.url_map.bind("localhost", script_name="/")
    try:
        endpoint, _arguments = adapter.match(path, method=method)
    except RequestRedirect:
        return None
    except HTTPException:
        return None
    if endpoint == "static":
        return None
    return urlunsplit(("", "", quote(path, safe="/:@!$&'()*+,;=-._~"), parts.query, ""))


def safe_next(default: str, target: str | None = None) -> str:
    """The `next` page given in the form or query string (or `target`), if it is a page of this app;
    otherwise `default`."""
    if target is None:
        target = request.form.get("next") or request.args.get("next")
    return local_path(target) or default
