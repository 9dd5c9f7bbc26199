"""Wire the shared pieces into the app: database, CSRF, templates, security headers, the signed-in user."""

from flask import Flask, g
from flask_compress import Compress
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from tracker.core import assets, audit, consultations, downloads, errors, operations, security, templating
from tracker.core.db import db
from tracker.core.navigation import navigation_for
from tracker.core.permissions import Permission
from tracker.core.settings import get as setting

csrf = CSRFProtect()
compress = Compress()


def init_app(app: Flask) -> None:
    if app.config["TRUST_PROXY"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)
    operations.init_app(app)
    db.init_app(app)
    audit.init_app(app)
    csrf.init_app(app)
    # Pages and static files are sent brotli- or gzip-compressed to browsers that accept it.
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault("COMPRESS_LEVEL", 6)
    app.config.setdefault("COMPRESS_BR_LEVEL", 5)
    compress.init_app(app)
    assets.init_app(app)
    templating.init_app(app)
    security.init_app(app)
    errors.init_app(app)

    from tracker.auth import sessions

    @app.before_request
    def _load_user():
        sessions.load_current_user()

    @app.after_request
    def _commit(response):
        # One commit per request, when it succeeded (Indico's pattern); anything else is rolled back.
        if response.status_code < 400:
            audit.add_deferred()  # a page's own consultation entry: sent only with it, so committed first
        if "db_session" in g:
            if response.status_code < 400:
                db.run_before_commit()
                g.db_session.commit()
                db.run_after_commit()
            else:
                g.db_session.rollback()
        return response

    consultations.init_app(app)
    downloads.init_app(app)

    @app.context_processor
    def _layout():
        # The navigation is worked out once a request: every template rendered in it (a page, its panels)
        # runs the context processors again.
        user = g.get("user")
        navigation = g.get("_navigation")
        if navigation is None or navigation[0] is not user:
            navigation = g._navigation = (user, navigation_for(user))
        return {
            "current_user": user,
            "navigation": navigation[1],
            "area_name": setting("area_name"),
            "Permission": Permission,
        }
