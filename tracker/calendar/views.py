"""Calendar pages: the personal feed (its page, its secret link, the feed itself) and a one-off download.

The feed is public because Outlook fetches it without cookies: the secret in its address is the key.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, make_response, redirect, render_template, session, url_for

from tracker.calendar import feeds, ics
from tracker.core import audit
from tracker.core.forms import ConfirmForm, require_confirmation
from tracker.core.permissions import public, requires
from tracker.core.timeutil import today_london

bp = Blueprint("calendar", __name__, url_prefix="/calendar")


# A new link waits in the session for the page that shows it, once: reloading that page then shows it
# again without the link, rather than posting again and so making (and breaking) yet another link.
NEW_LINK = "calendar_feed_new_link"


@bp.route("/feed")
@requires()
def feed():
    token = session.pop(NEW_LINK, None)
    response = make_response(
        render_template(
            "calendar/feed.html",
            link=feeds.current_link(g.user),
            addresses=feeds.addresses(token) if token else None,
            form=ConfirmForm(),
            # An empty calendar file is not a valid calendar: offer the download only with something in it.
            anything_to_add=bool(feeds.entries(g.user, today_london())),
        )
    )
    if token:
        response.headers["Cache-Control"] = "no-store"  # the secret is shown once and kept nowhere
    return response


@bp.route("/feed/new-link", methods=["POST"])
@requires()
def new_feed_link():
    require_confirmation()
    # Only the hash is kept: the link itself is shown on the next page, once.
    session[NEW_LINK] = feeds.issue_link(g.user)
    return redirect(url_for("calendar.feed", _anchor="your-link"))


@bp.route("/feed/stop", methods=["POST"])
@requires()
def stop_feed():
    require_confirmation()
    if feeds.stop_link(g.user):
        flash("Your calendar feed is stopped. Remove the calendar from Outlook too.", "success")
    return redirect(url_for("calendar.feed"))


@bp.route("/feed/<token>.ics")
@public
def feed_file(token: str):
    user = feeds.owner_of(token)
    if user is None:
        abort(404)
    return ics.calendar_response(feeds.build(user, today_london()))


@bp.route("/my-calendar.ics")
@requires()
def download():
    events = feeds.entries(g.user, today_london())
    if not events:
        flash("There is nothing to add to your calendar: no meetings or training from a month ago on.")
        return redirect(url_for("calendar.feed"))
    audit.record("export", g.user, summary=f"calendar file, {len(events)} entries")
    return ics.download_response(ics.publish(events), "mappa-tracker-calendar")
