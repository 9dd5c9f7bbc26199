"""MAPPA Tracker: Level 2 and 3 MAPPA meetings, minutes, chair training and reporting for an area."""

from flask import Flask

from tracker.config import load_config


def create_app(config: dict | None = None) -> Flask:
    """Build the Flask application: config, extensions, blueprints, CLI and error pages."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder="../templates",
        static_folder="../static",
        static_url_path="/assets",
    )
    load_config(app, config)

    from tracker.core import extensions

    extensions.init_app(app)

    # Each area declares its blueprint, home page panels (shown in this order), access rules, grants
    # and calendar feed entries in its own `register(app)`: nothing is registered by being imported.
    from tracker import (
        admin,
        auth,
        calendar,
        disclosure,
        evaluations,
        home,
        meetings,
        minutes,
        reports,
        retention,
        training,
        transfer,
    )

    areas = (
        home,
        auth,
        admin,
        evaluations,
        meetings,
        minutes,
        disclosure,
        reports,
        retention,
        training,
        calendar,
        transfer,
    )
    for area in areas:
        area.register(app)

    from tracker import cli

    cli.register(app)
    return app
