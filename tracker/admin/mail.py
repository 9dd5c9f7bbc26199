"""Emails an admin's actions send: the password reset link."""

from flask import render_template

from tracker.auth.models import User
from tracker.core import mail


def send_reset_link(user: User, link: str, hours: int) -> None:
    message = mail.new_message(user.email, "Set your MAPPA Tracker password")
    message.set_content(render_template("admin/email/reset_link.txt", user=user, link=link, hours=hours))
    mail.queue(message)
