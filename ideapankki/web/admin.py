"""Moderators approve organisation memberships; the domain layer checks who may."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlmodel import select

from .. import accounts
from ..models import Organisation, User
from . import db_session
from .forms import ConfirmActionForm

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@login_required
def moderators_only():
    if not current_user.is_moderator:
        abort(403)


@bp.get("/memberships")
def memberships():
    """Confirmed members waiting for approval into their organisation."""
    session = db_session()
    pending = accounts.pending_memberships(session)
    organisations = {o.id: o for o in session.exec(select(Organisation)).all()} if pending else {}
    return render_template("admin/memberships.html", pending=pending, organisations=organisations,
                           form=ConfirmActionForm())


@bp.post("/memberships/<int:user_id>/approve")
def approve(user_id: int):
    """Approve one membership."""
    form = ConfirmActionForm()
    if not form.validate_on_submit():
        abort(400)
    user = db_session().get(User, user_id)
    if user is None:
        abort(404)
    try:
        accounts.approve_membership(db_session(), current_user._get_current_object(), user)
    except accounts.AccountError:
        abort(409)
    flash(_("%(name)s can now submit entries.", name=user.name))
    return redirect(url_for("admin.memberships"))
