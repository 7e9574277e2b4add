"""Moderators record what became of a published norm proposal (the rules are in ideapankki.normstatus)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ... import browse, normstatus, relations
from ...search import results as searching
from ...models import Entry, EntryType
from ...search import IndexUnavailable
from ..database import db_session
from ..index import search_index
from ..forms import NormStatusForm, choices
from ..labels import NORM_STATUS_LABELS

bp = Blueprint("norm_status", __name__)


def norm_status_form(entry: Entry) -> NormStatusForm | None:
    """The form for moderators on a published norm proposal's page; None for everyone else."""
    if entry.type != EntryType.norm.value or not current_user.is_authenticated or not current_user.is_moderator:
        return None
    form = NormStatusForm()
    form.status.choices = choices({"": _("Choose…"), **{k: str(v) for k, v in NORM_STATUS_LABELS.items()}})
    return form


def _messages() -> dict[str, str]:
    return {
        "status": _("Choose what happened."),
        "happened_on": _("The date cannot be in the future."),
        "amending_act": _("Give the number of the amending act, e.g. 1269/2020, and only when the law changed."),
        "reason": _("Say why the proposal does not proceed."),
    }


@bp.post("/entries/<slug>/norm-status")
@login_required
def record(slug: str):
    session = db_session()
    entry = browse.get_published(session, slug)
    if entry is None:
        abort(404)
    if not current_user.is_moderator:
        abort(403)
    form = norm_status_form(entry)
    if form is None:  # not a norm proposal: nothing to record (normstatus.record would refuse too)
        abort(409)
    if form.validate_on_submit():
        try:
            normstatus.record(session, entry, current_user._get_current_object(), form.status.data,
                              form.happened_on.data, note=form.note.data or "", amending_act=form.amending_act.data,
                              reason=form.reason.data)
        except normstatus.StatusError as exc:
            form[exc.field].errors = [*form[exc.field].errors, _messages()[exc.field]]
        else:
            session.commit()
            flash(_("The step was recorded."))
            return redirect(url_for("public.entry", slug=entry.slug) + "#norm-status-title")
    try:
        similar = searching.more_like(session, search_index(), entry)
    except IndexUnavailable:
        similar = []
    return render_template("public/entry.html", entry=entry, similar=similar, status_form=form,
                           related=relations.links(session, entry)), 400
