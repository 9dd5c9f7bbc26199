"""Every area's blueprint, registered in one place."""

from flask import Flask


def register(app: Flask) -> None:
    from tracker.admin.views import bp as admin
    from tracker.auth.views import bp as auth
    from tracker.calendar.views import bp as calendar
    from tracker.evaluations.views import bp as evaluations
    from tracker.home.views import bp as home
    from tracker.meetings.views import bp as meetings
    from tracker.minutes.views import bp as minutes
    from tracker.reports.views import bp as reports
    from tracker.training.views import bp as training

    for blueprint in (home, auth, admin, meetings, minutes, training, evaluations, calendar, reports):
        app.register_blueprint(blueprint)

    from tracker import transfer

    transfer.register(app)
