"""Wire the shared pieces into the app: database, CSRF, templates, security headers, the signed-in user."""

from flask import Flask, g
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from tracker.core import consultations, errors, security, templating
from tracker.core.db import db
from tracker.core.navigation import navigation_for
from tracker.core.permissions import Permission
from tracker.core.settings import get as setting

csrf = CSRFProtect()


def init_app(app: Flask) -> None:
    if app.config["TRUST_PROXY"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)
    db.init_app(app)
    csrf.init_app(app)
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
        if "db_session" in g:
            if response.status_code < 400:
                g.db_session.commit()
                db.run_after_commit()
            else:
                g.db_session.rollback()
        return response

    consultations.init_app(app)

    @app.context_processor
    def _layout():
        user = g.get("user")
        return {
            "current_user": user,
            "navigation": navigation_for(user),
            "area_name": setting("area_name"),
            "Permission": Permission,
        }
