"""Every area's blueprint, registered in one place."""

from flask import Flask


def register(app: Flask) -> None:
    from tracker.admin.views import bp as admin
    from tracker.auth.views import bp as auth
    from tracker.evaluations.views import bp as evaluations
    from tracker.home.views import bp as home
    from tracker.training.views import bp as training

    for blueprint in (home, auth, admin, training, evaluations):
        app.register_blueprint(blueprint)
