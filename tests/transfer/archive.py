"""What the export tests share: an export made through the page, its tables read back, and a new, empty
installation to import it into."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import make_database, owner_url
from tracker import create_app


def tables_of(data: bytes) -> dict[str, list[list[str]]]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    return {
        name.removeprefix("tables/").removesuffix(".csv"): list(
            csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig")))
        )
        for name in archive.namelist()
        if name.startswith("tables/")
    }


def export_through_the_page(client: FlaskClient) -> bytes:
    response = client.post(
        "/admin/export", data={"recipient": "The new supplier", "reason": "Moving to a new case system"}
    )
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    assert response.headers["Cache-Control"] == "no-store"
    return response.data


@contextmanager
def new_installation(database_url: str, tmp_path_factory, *, in_a_request: bool = True) -> Iterator[Flask]:
    """A new, empty installation on the same kind of database, by default in a request of its own (the
    commands run outside one). Loading a whole area is the operator's job, run as the schema's owner (it
    restarts id sequences, which the least-privilege application role may not do)."""
    kind = "postgresql" if database_url.startswith("postgresql") else "sqlite"
    databases = make_database(kind, tmp_path_factory)
    url = next(databases)
    try:
        other = create_app({"TESTING": True, "DATABASE_URL": owner_url(url), "SECRET_KEY": "tests-only-secret"})
        with other.test_request_context() if in_a_request else other.app_context():
            yield other
        other.extensions["db_engine"].dispose()
    finally:
        next(databases, None)
