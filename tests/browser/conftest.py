"""Browser tests: the demo area served on a real port, driven by Playwright in Debian's Chromium.

Every page a test visits can be checked with axe-core (`axe_check(page)`), and any error the browser
logs (a script failing, a Content-Security-Policy violation) fails the test.
"""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pyotp
import pypdf
import pytest
from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright
from playwright.sync_api import Error as PlaywrightError
from werkzeug.serving import make_server

from tests.conftest import BACKENDS, make_database
from tracker import create_app
from tracker.core import sending
from tracker.demo import DEMO_DOMAIN, DEMO_PASSWORD, DEMO_TOTP_SECRETS, seed

CHROMIUM = "/usr/bin/chromium"
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class LiveServer:
    def __init__(self, app):
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *_):
        self.server.shutdown()
        self.thread.join()


def serve_demo(kind: str, tmp_path_factory, name: str = "live-instance") -> Iterator[LiveServer]:
    """The demo area, seeded into a database of its own, served with CSRF and every check switched on."""
    for url in make_database(kind, tmp_path_factory):
        instance = tmp_path_factory.mktemp(name)
        app = create_app(
            {
                "DATABASE_URL": url,
                "SECRET_KEY": "browser-tests-only",
                "SESSION_COOKIE_SECURE": False,
                "MAIL_FOLDER": str(instance / "mail"),
            }
        )
        with app.app_context():
            seed()
        app.config["BASE_URL"] = "http://placeholder"
        with LiveServer(app) as server:
            app.config["BASE_URL"] = server.url
            yield server
        app.extensions["db_engine"].dispose()


@pytest.fixture(scope="session", params=BACKENDS)
def live_server(request, tmp_path_factory) -> Iterator[LiveServer]:
    """The demo area shared by the journeys."""
    yield from serve_demo(request.param, tmp_path_factory)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@contextmanager
def own_page(browser, live_server, width: int = 1280, height: int = 900) -> Iterator[Page]:
    """A page in a browser context of its own (its own cookies) of the size given, closed afterwards."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def page(browser, live_server) -> Iterator[Page]:
    errors: list[str] = []
    with own_page(browser, live_server) as page:
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        yield page
    assert errors == [], f"the browser logged errors: {errors}"


def axe_check(page: Page) -> None:
    """Run axe-core on the page once it has loaded; fail on any serious or critical violation.

    A click on a link returns before the next page arrives, so axe may start on the page being left:
    when that page goes away under it, it runs again on the one that came."""
    for attempt in range(3):
        page.wait_for_load_state("load")
        try:
            page.evaluate(AXE.read_text())
            result = page.evaluate(
                "() => axe.run(document, {runOnly: {type: 'tag', values: "
                "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}})"
            )
            break
        except PlaywrightError:
            if attempt == 2:
                raise
    serious = [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + ", ".join(node["target"][0] for node in violation["nodes"][:3])
        for violation in result["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
    assert serious == [], f"axe found problems on {page.url}: {serious}"


def confirm_if_warned(page: Page, button: str, outcome: Locator) -> None:
    """After pressing `button`, the next page either shows `outcome` or asks to confirm with "`button` anyway".

    Waits for one of the two before looking: a count taken straight after the click can still read the
    page being left, and then the confirmation is never pressed."""
    anyway = page.get_by_role("button", name=f"{button} anyway")
    expect(outcome.or_(anyway).first).to_be_visible()
    if anyway.is_visible():
        anyway.click()


def demo_email(local: str) -> str:
    return f"{local}@{DEMO_DOMAIN}"


def sign_in_as(page: Page, local: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the pages as a demo account, entering the security code where one is needed."""
    email = demo_email(local)
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    if email in DEMO_TOTP_SECRETS:
        page.get_by_label("Security code").fill(_unused_code(page.url.split("/sign-in")[0], email))
        page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/home")


_used_steps: dict[tuple[str, str], int] = {}


def _unused_code(server: str, email: str) -> str:
    """A code the server will accept: it refuses a time step already used, as a replay."""
    totp = pyotp.TOTP(DEMO_TOTP_SECRETS[email])
    step = totp.timecode(datetime.now())
    last = _used_steps.get((server, email))
    if last is not None and last >= step:
        if last > step:  # the next step is spent too: wait for the clock to catch up
            time.sleep(totp.interval - time.time() % totp.interval + 0.5)
            step = totp.timecode(datetime.now())
        step = max(step, last + 1)
    _used_steps[(server, email)] = step
    return totp.generate_otp(step)


def answer_disclosure(page: Page, reason: str = "For my own use at or before the meeting") -> None:
    """Say the file is for oneself and why, on the question every download asks first, and download it."""
    axe_check(page)
    page.get_by_label("Only me").check()
    page.get_by_label(reason).check()
    page.get_by_role("button", name="Download the file").click()


def give_reason(
    page: Page, reason: str = "Reviewing the case for the MAPPA co-ordinator's oversight", opening: str = "case"
) -> None:
    """Say why one opens a case one has no part in (asked once per case per session), or a meeting's minutes
    one reads only by oversight (`opening="minutes"`: once per meeting per session), and open it."""
    question = "Why do you need to open this case?" if opening == "case" else "Why do you need to open these minutes?"
    expect(page.get_by_role("heading", level=1)).to_have_text(question)
    page.get_by_label(reason).check()
    page.get_by_role("button", name=f"Open the {opening}").click()


def return_from_download(page: Page) -> None:
    """Go back from the download question (where the browser stays once the file is saved) to the page
    the download was asked from."""
    page.get_by_role("link", name="return to the page you were on").click()


def choose_chair(page: Page, name: str) -> None:
    """Choose a chair in the meeting form by name (each option also says where the chair stands on the
    chairs' register, which changes with the day)."""
    chair = page.get_by_label("Chair", exact=True)
    value = chair.locator("option", has_text=f"{name} (").first.get_attribute("value")
    chair.select_option(value=value)


def fill_date_boxes(page: Page, prefix: str, day) -> None:
    """A GOV.UK date input found by its field's id, for a form whose legend is not unique on the page."""
    page.locator(f"#{prefix}-day").fill(str(day.day))
    page.locator(f"#{prefix}-month").fill(str(day.month))
    page.locator(f"#{prefix}-year").fill(str(day.year))


def pdf_pages(download) -> list[str]:
    """The text of each page of a downloaded PDF."""
    reader = pypdf.PdfReader(io.BytesIO(Path(download.path()).read_bytes()))
    return [page.extract_text() for page in reader.pages]


def delivered_mail(live_server) -> list[EmailMessage]:
    """The emails in the app's mail folder, in order, once the outbox has delivered what is due there (as
    the sender, `tracker send-mail` beside a real server, does)."""
    with live_server.app.app_context():
        sending.send_all_due()
    paths = sorted(Path(live_server.app.config["MAIL_FOLDER"]).glob("*.eml"))
    return [message_from_bytes(path.read_bytes(), policy=policy.default) for path in paths]
