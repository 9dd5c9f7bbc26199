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

    from tracker import blueprints

    blueprints.register(app)

    from tracker import cli

    cli.register(app)
    return app
