"""Moderators approve organisation memberships; the domain layer checks who may."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlmodel import select

from ... import accounts, organisations as register
from ...models import Organisation, Role, User
from .. import moderator_mail
from ..database import db_session
from ..forms import ConfirmActionForm
from ..organisation_choices import KIND_SINGULAR, OrganisationForm

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
    waited = user.membership_approved_at is None
    try:
        accounts.approve_membership(db_session(), current_user._get_current_object(), user)
    except accounts.AccountError:
        abort(409)
    if waited:
        moderator_mail.membership_approved(db_session(), user)
    flash(_("%(name)s can now submit entries.", name=user.name))
    return redirect(url_for("admin.memberships"))


def _admin():
    if not current_user.is_admin:
        abort(403)


@bp.get("/users")
def users():
    """Admins see every account and change roles."""
    _admin()
    session = db_session()
    rows = session.exec(select(User).order_by(User.email)).all()
    organisations = {o.id: o for o in session.exec(select(Organisation))}
    return render_template("admin/users.html", users=rows, organisations=organisations, form=ConfirmActionForm(),
                           roles=[r.value for r in Role])


def _posted_to(model, object_id: int):
    """The object an admin's form was posted to (CSRF checked), or an HTTP error."""
    _admin()
    if not ConfirmActionForm().validate_on_submit():
        abort(400)
    found = db_session().get(model, object_id)
    if found is None:
        abort(404)
    return found


@bp.post("/users/<int:user_id>")
def update_user(user_id: int):
    """Change one account's role and whether it is active."""
    user = _posted_to(User, user_id)
    session = db_session()
    try:
        role = Role(request.form.get("role", ""))
    except ValueError:
        abort(400)
    try:
        accounts.admin_update_user(session, current_user._get_current_object(), user, role,
                                   request.form.get("active") == "1")
    except accounts.AccountError as exc:
        if exc.code == "last_admin":
            flash(_("The last administrator cannot be removed."))
            return redirect(url_for("admin.users"))
        abort(403)
    flash(_("Saved: %(email)s", email=user.email))
    return redirect(url_for("admin.users"))


@bp.get("/organisations")
def organisations():
    """Organisations and the e-mail domains whose members are approved automatically."""
    _admin()
    return _organisations_page(OrganisationForm(formdata=None)), 200


def _organisations_page(add_form: OrganisationForm):
    rows = db_session().exec(select(Organisation).order_by(Organisation.kind, Organisation.name)).all()
    return render_template("admin/organisations.html", organisations=rows, form=ConfirmActionForm(),
                           add_form=add_form, kinds=KIND_SINGULAR)


@bp.post("/organisations/new")
def add_organisation():
    """Add an organisation to the register members choose from when they register."""
    _admin()
    form = OrganisationForm()
    if not form.validate_on_submit():
        return _organisations_page(form), 400
    try:
        register.add(db_session(), current_user._get_current_object(), form.kind.data, form.name.data,
                          form.name_sv.data)
    except accounts.AccountError as exc:
        if exc.code == "forbidden":
            abort(403)
        form.name.errors.append(_("An organisation with this name exists already.") if exc.code == "name_taken"
                                else _("Check the kind and the name."))
        return _organisations_page(form), 400
    flash(_("Added: %(name)s", name=form.name.data.strip()))
    return redirect(url_for("admin.organisations"), 303)


@bp.post("/organisations/<int:organisation_id>")
def update_organisation(organisation_id: int):
    """Set or clear the organisation's automatically approved e-mail domain."""
    organisation = _posted_to(Organisation, organisation_id)
    session = db_session()
    try:
        accounts.set_auto_approve_domain(session, current_user._get_current_object(), organisation,
                                         request.form.get("domain"))
    except accounts.AccountError as exc:
        if exc.code != "bad_domain":
            abort(403)
        flash(_("Not a domain name: %(domain)s", domain=request.form.get("domain", "")))
        return redirect(url_for("admin.organisations")), 303
    flash(_("Saved: %(name)s", name=organisation.name))
    return redirect(url_for("admin.organisations"))
