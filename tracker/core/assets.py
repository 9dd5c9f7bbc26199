"""Static files under fingerprinted names, cached by browsers for a year (they never change under a name).

`url_for("static", filename="tracker.css")` gives `/assets/tracker.<hash>.css`; the file is served under that
name with `Cache-Control: public, max-age=31536000, immutable`. Stylesheets are served with the `/assets/...`
addresses inside them (fonts, images) fingerprinted as well, so a new GOV.UK Frontend release reaches every
browser at once. A file asked for by its plain name (a favicon) is served too, cached for a day.
"""

from __future__ import annotations

import hashlib
import mimetypes
import re
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, Response, abort, send_from_directory

YEAR = 365 * 24 * 3600
DAY = 24 * 3600
_FINGERPRINTED = re.compile(r"^(?P<stem>.+)\.(?P<digest>[0-9a-f]{12})(?P<suffix>\.[A-Za-z0-9]+)$")
_CSS_URL = re.compile(r"url\((['\"]?)/assets/([^)'\"?#]+)\1\)")


@dataclass
class _Asset:
    mtime: float
    digest: str
    body: bytes


class Fingerprints:
    """Each static file's content digest, computed on first use and again whenever the file changes."""

    def __init__(self, folder: str, *, watch: bool = True) -> None:
        self.folder = Path(folder).resolve()
        self._assets: dict[str, _Asset] = {}
        # Unless watching for edits (debug), a file's fingerprinted name is worked out once per worker: a
        # deployment restarts the workers, and a page names five files, each a path resolution and a stat.
        self._watch = watch
        self._names: dict[str, str] = {}

    def _path(self, filename: str) -> Path | None:
        path = (self.folder / filename).resolve()
        if not path.is_relative_to(self.folder) or not path.is_file():
            return None
        return path

    def asset(self, filename: str) -> _Asset | None:
        path = self._path(filename)
        if path is None:
            return None
        mtime = path.stat().st_mtime
        cached = self._assets.get(filename)
        if cached is not None and cached.mtime == mtime:
            return cached
        body = path.read_bytes()
        if path.suffix == ".css":
            body = _CSS_URL.sub(lambda m: f"url({self.url_path(m.group(2))})", body.decode()).encode()
        asset = _Asset(mtime, hashlib.sha256(body).hexdigest()[:12], body)
        self._assets[filename] = asset
        return asset

    def fingerprinted(self, filename: str) -> str:
        """`govuk/govuk-frontend.min.css` -> `govuk/govuk-frontend.min.<digest>.css` (unchanged if absent)."""
        name = None if self._watch else self._names.get(filename)
        if name is None:
            name = self._names[filename] = self._fingerprinted(filename)
        return name

    def _fingerprinted(self, filename: str) -> str:
        asset = self.asset(filename)
        if asset is None:
            return filename
        stem, dot, suffix = filename.rpartition(".")
        if not dot or "/" in suffix:
            return filename
        return f"{stem}.{asset.digest}.{suffix}"

    def url_path(self, filename: str) -> str:
        return "/assets/" + self.fingerprinted(filename)


def init_app(app: Flask) -> None:
    watch = app.debug or bool(app.config.get("TEMPLATES_AUTO_RELOAD"))
    fingerprints = Fingerprints(app.static_folder, watch=watch)
    app.extensions["asset_fingerprints"] = fingerprints

    @app.url_defaults
    def _fingerprint(endpoint, values):
        if endpoint == "static" and "filename" in values and not _FINGERPRINTED.match(values["filename"]):
            values["filename"] = fingerprints.fingerprinted(values["filename"])

    def static(filename: str):
        match = _FINGERPRINTED.match(filename)
        if match:
            original = match["stem"] + match["suffix"]
            asset = fingerprints.asset(original)
            if asset is not None and asset.digest == match["digest"]:
                mimetype = mimetypes.guess_type(original)[0] or "application/octet-stream"
                response = Response(asset.body, mimetype=mimetype)
                response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
                return response
            if asset is not None:
                # An older page asking for a file that has since changed: the current one, briefly cached.
                return send_from_directory(fingerprints.folder, original, max_age=60)
        if fingerprints.asset(filename) is None:
            abort(404)
        return send_from_directory(fingerprints.folder, filename, max_age=DAY)

    app.view_functions["static"] = static
