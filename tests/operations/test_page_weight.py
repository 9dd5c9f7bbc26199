"""Light pages at the demo's data: small HTML, the crest as a cached image, fingerprinted static files
cached for a year, and compressed answers for browsers that accept them."""

from __future__ import annotations

import gzip
import re

import brotli
import pytest
from bs4 import BeautifulSoup
from sqlmodel import Session, select

from tests.conftest import make_database, sign_in
from tracker import create_app
from tracker.auth.models import User
from tracker.demo import DEMO_DOMAIN

BUDGET = 30 * 1024
MAIN_PAGES = {
    "coordinator": [
        "/home",
        "/cases",
        "/meetings",
        # Their own actions: the area's open actions (the list they open on) is a long list, 25 a page.
        "/actions?owner=me",
        "/minutes",
        "/chairs",
        "/evaluations/events",
        "/reports/",
    ],
    "chair": ["/home", "/cases", "/meetings", "/actions", "/minutes", "/account"],
    "administrator": ["/home", "/meetings"],
    "trsg": ["/home", "/training/", "/training/chairs", "/training/events/1"],
    "practitioner": ["/home", "/cases", "/meetings", "/actions"],
    "admin": ["/home", "/admin/users", "/admin/settings"],
    "smb": ["/home", "/reports/", "/reports/annual-report"],
}


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory):
    for url in make_database("sqlite", tmp_path_factory):
        app = create_app({"DATABASE_URL": url, "SECRET_KEY": "page-weight-tests", "TESTING": True})
        assert "Demo data created" in app.test_cli_runner().invoke(args=["seed-demo"]).output
        yield app
        app.extensions["db_engine"].dispose()


@pytest.fixture(scope="module")
def demo_client(demo_app):
    sessions = []

    def make(who: str):
        session = Session(demo_app.extensions["db_engine"])
        sessions.append(session)
        user = session.exec(select(User).where(User.email == f"{who}@{DEMO_DOMAIN}")).one()
        return sign_in(demo_app.test_client(), session, user)

    yield make
    for session in sessions:
        session.close()


def _demo_meeting_and_case(client) -> list[str]:
    """The first meeting and case the chair's lists link to (their ids differ between runs)."""
    meeting = re.search(r'href="(/meetings/\d+)"', client.get("/meetings").get_data(as_text=True))[1]
    case = re.search(r'href="(/cases/\d+)"', client.get("/cases").get_data(as_text=True))[1]
    agenda_item = re.search(r'href="(/meetings/\d+/agenda/\d+)"', client.get(meeting).get_data(as_text=True))
    return [meeting, case] + ([agenda_item[1]] if agenda_item else [])


def test_every_main_page_is_under_30_kb_of_html_at_the_demos_data(demo_client):
    heavy = {}
    for who, pages in MAIN_PAGES.items():
        client = demo_client(who)
        if who == "chair":
            pages = pages + _demo_meeting_and_case(client)
        for page in pages:
            response = client.get(page)
            assert response.status_code == 200, (who, page)
            if len(response.data) > BUDGET:
                heavy[(who, page)] = len(response.data)
    assert heavy == {}


def test_the_crest_is_a_cached_image_not_inline_markup(demo_client):
    client = demo_client("chair")
    page = BeautifulSoup(client.get("/home").data, "html.parser")
    header = page.select_one(".moj-header")
    assert header.find("svg") is None
    crest = header.select_one("img.moj-header__logotype-crest")
    assert crest["alt"] == ""  # decorative: the organisation's name is beside it
    response = client.get(crest["src"])
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"


def test_static_files_have_fingerprinted_names_and_are_cached_for_a_year(demo_client):
    client = demo_client("chair")
    page = BeautifulSoup(client.get("/home").data, "html.parser")
    assets = [link["href"] for link in page.select("link[rel=stylesheet]")]
    assets += [script["src"] for script in page.select("script[src]")]
    assert len(assets) >= 4
    for address in assets:
        assert re.search(r"\.[0-9a-f]{12}\.(css|js)$", address), address
        response = client.get(address)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    # The fonts and images a stylesheet names are fingerprinted too, and cached as long.
    stylesheet = client.get(next(a for a in assets if "govuk-frontend" in a)).get_data(as_text=True)
    fonts = re.findall(r"url\((/assets/fonts/[^)]+)\)", stylesheet)
    assert fonts and all(re.search(r"\.[0-9a-f]{12}\.woff2?$", font) for font in fonts)
    assert client.get(fonts[0]).headers["Cache-Control"].endswith("immutable")


def test_pages_themselves_are_never_cached_and_an_unknown_asset_is_not_found(demo_client):
    client = demo_client("chair")
    assert client.get("/home").headers["Cache-Control"] == "no-store"
    assert client.get("/assets/no-such-file.css").status_code == 404
    assert client.get("/assets/../tracker/__init__.py").status_code == 404


@pytest.mark.parametrize(("encoding", "decode"), [("br", brotli.decompress), ("gzip", gzip.decompress)])
def test_pages_and_stylesheets_are_compressed_when_the_browser_accepts_it(demo_client, encoding, decode):
    client = demo_client("chair")
    plain = client.get("/meetings")
    packed = client.get("/meetings", headers={"Accept-Encoding": encoding})
    assert packed.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert len(packed.data) < len(plain.data) / 4
    assert b"Meetings" in decode(packed.data)
    stylesheet = BeautifulSoup(plain.data, "html.parser").select_one("link[href*=govuk-frontend]")["href"]
    css = client.get(stylesheet, headers={"Accept-Encoding": encoding})
    assert css.headers["Content-Encoding"] == encoding
    assert css.headers["Cache-Control"].endswith("immutable")
