"""Access to the calendar's routes: everyone signed in has a feed page; the feed itself is public."""

from tests.access_cases import ALL, Case, World, post


def build(world: World, factory) -> None:
    world.objects["feed_token"] = factory.feed_link(world.users["CHAIR"])


CASES = [
    Case("calendar.feed", "/calendar/feed", ALL),
    post("calendar.new_feed_link", "/calendar/feed/new-link", ALL),
    post("calendar.stop_feed", "/calendar/feed/stop", ALL),
    Case("calendar.download", "/calendar/my-calendar.ics", ALL),
    # Outlook fetches feeds without cookies: the secret token in the address is the key.
    Case("calendar.feed_file", lambda w: f"/calendar/feed/{w.feed_token}.ics", ALL, public=True),
]
