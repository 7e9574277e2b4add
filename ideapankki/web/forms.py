"""Forms (Flask-WTF: CSRF on every one). Field labels and messages are translated."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from ..accounts import MIN_PASSWORD_LENGTH

REQUIRED = _l("This field is required.")


def new_password_fields():
    """A new password and its repetition."""
    password = PasswordField(_l("New password"), validators=[
        DataRequired(REQUIRED),
        Length(min=MIN_PASSWORD_LENGTH, max=200,
               message=_l("Use at least %(min)s characters.", min=MIN_PASSWORD_LENGTH)),
    ], description=_l("At least %(min)s characters. A few unrelated words make a good password.",
                      min=MIN_PASSWORD_LENGTH))
    confirm = PasswordField(_l("New password again"), validators=[
        DataRequired(REQUIRED), EqualTo("password", message=_l("The passwords do not match.")),
    ])
    return password, confirm


class RegisterForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(REQUIRED), Length(max=200)])
    email = EmailField(_l("E-mail address"), validators=[
        DataRequired(REQUIRED), Email(message=_l("Enter an e-mail address like name@kunta.fi."),
                                      check_deliverability=False), Length(max=254)],
        description=_l("Use your work address: your organisation's domain can speed up approval."))
    municipality = SelectField(_l("Municipality"), validators=[DataRequired(REQUIRED)],
                               description=_l("The municipality you work for or represent."))
    password, confirm = new_password_fields()


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(REQUIRED), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(REQUIRED), Length(max=200)])
    remember = BooleanField(_l("Keep me logged in on this device"))


class ResetRequestForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(REQUIRED), Length(max=254)])


class ResetForm(FlaskForm):
    password, confirm = new_password_fields()


class PasswordChangeForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired(REQUIRED), Length(max=200)])
    password, confirm = new_password_fields()


class ConfirmActionForm(FlaskForm):
    """A button that changes something: only its CSRF token."""
