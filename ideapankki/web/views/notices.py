"""Moderators' notices: the counts of waiting work in their header, and their choice of immediate
mail or a daily digest (ideapankki.moderator_notices)."""

from __future__ import annotations

from flask import Blueprint, Flask, abort, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ... import accounts, moderator_notices
from ..database import db_session
from ..forms import ConfirmActionForm

bp = Blueprint("notices", __name__)


@bp.post("/account/notices")
@login_required
def preference():
    """Save how the moderator hears of new work."""
    if not ConfirmActionForm().validate_on_submit():
        abort(400)
    try:
        moderator_notices.set_preference(db_session(), current_user._get_current_object(),
                                         request.form.get("notices", ""))
    except accounts.AccountError as exc:
        abort(403 if exc.code == "forbidden" else 400)
    flash(_("Saved: how you hear of new work."))
    return redirect(url_for("auth.account"))


def moderator_waiting() -> moderator_notices.Waiting | None:
    """What waits for moderators, for the header of a moderator's page (one query a request)."""
    if not (current_user.is_authenticated and current_user.is_moderator):
        return None
    if "moderator_waiting" not in g:
        g.moderator_waiting = moderator_notices.waiting(db_session())
    return g.moderator_waiting


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.jinja_env.globals["moderator_waiting"] = moderator_waiting
