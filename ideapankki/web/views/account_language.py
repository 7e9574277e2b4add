"""The language of an account's mail (User.language): chosen on the account page; registration
stores the UI language it was made in."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ... import accounts
from ..database import db_session
from ..forms import ConfirmActionForm

bp = Blueprint("account_language", __name__)


@bp.post("/account/language")
@login_required
def choose():
    """Save the language the account's mail is written in."""
    if not ConfirmActionForm().validate_on_submit():
        abort(400)
    try:
        accounts.set_language(db_session(), current_user._get_current_object(), request.form.get("language", ""))
    except accounts.AccountError:
        abort(400)
    flash(_("Saved: the language of your mail."))
    return redirect(url_for("auth.account"))
