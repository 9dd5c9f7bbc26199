"""Forms for signing in, two-factor codes and passwords."""

from flask_wtf import FlaskForm

from tracker.auth import rules
from tracker.core.fields import (
    EmailField,
    PasswordField,
    StringField,
    SubmitField,
    ValidationError,
    data_required,
    email,
)


class SignInForm(FlaskForm):
    email = EmailField(
        "Email address",
        validators=[data_required("Enter your email address"), email()],
        render_kw={"autocomplete": "username", "spellcheck": "false"},
    )
    password = PasswordField(
        "Password",
        validators=[data_required("Enter your password")],
        render_kw={"autocomplete": "current-password"},
    )
    submit = SubmitField("Sign in")


class CodeForm(FlaskForm):
    code = StringField(
        "Security code",
        description="The 6-digit code from your authenticator app",
        validators=[data_required("Enter the security code from your authenticator app")],
        render_kw={
            "autocomplete": "one-time-code",
            "inputmode": "numeric",
            "spellcheck": "false",
            "class": "govuk-input--width-5",
        },
    )
    submit = SubmitField("Continue")


class NewPasswordForm(FlaskForm):
    """A new password, typed twice. The view passes the person so that their name can be refused."""

    password = PasswordField(
        "New password",
        description=f"At least {rules.MINIMUM_PASSWORD_LENGTH} characters. A phrase of three or four "
        "unrelated words is strong and easy to remember.",
        validators=[data_required("Enter a new password")],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        "Confirm new password",
        validators=[data_required("Enter the new password again")],
        render_kw={"autocomplete": "new-password"},
    )
    submit = SubmitField("Save password")

    def __init__(self, *args, person_email: str = "", person_name: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self._email = person_email
        self._name = person_name

    def validate_password(self, field):
        problem = rules.password_problem(field.data or "", email=self._email, name=self._name)
        if problem:
            raise ValidationError(problem)

    def validate_confirm(self, field):
        if self.password.data and field.data != self.password.data:
            raise ValidationError("The passwords do not match")


class ChangePasswordForm(NewPasswordForm):
    current = PasswordField(
        "Current password",
        validators=[data_required("Enter your current password")],
        render_kw={"autocomplete": "current-password"},
    )
