"""The author's status page of their own entry: its state, the latest moderator's comment, what to do
next, the edit link and their own actions (send for review, ask for reconsideration). Moderators
decide on the review page (moderate.py); the author never sees its comment box."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import current_user, login_required

from ... import entries, review, workflow
from ...models import Entry
from ...revisions import can_edit
from ..database import db_session
from ..field_labels import show
from ..forms import ConfirmActionForm
from ..refusals import ACTION_LABELS

bp = Blueprint("status", __name__)
AUTHOR_ACTIONS = (workflow.Action.submit, workflow.Action.appeal)


@bp.get("/entries/<slug>/status")
@login_required
def page(slug: str):
    """Where the entry stands, for its organisation (and moderators): 404 unless visible, 403 unless allowed."""
    user = current_user._get_current_object()
    entry = entries.get_by_slug(db_session(), slug)
    if entry is None or not workflow.can_view(user, entry):
        abort(404)
    if not workflow.may_follow_review(user, entry):
        abort(403)
    return render_status(entry)


def render_status(entry: Entry, *, comment: str | None = None, error: str | None = None, status: int = 200):
    """The status page; after a refused action, with the typed COMMENT kept and the ERROR at its field."""
    session = db_session()
    user = current_user._get_current_object()
    found = review.read(session, entry, show)
    actions = [a for a in workflow.allowed_actions(session, user, entry) if a in AUTHOR_ACTIONS]
    appeal = workflow.facts(session, entry, found.revision)
    return render_template("status/page.html", entry=entry, review=found, actions=actions, appeal=appeal,
                           can_edit=can_edit(session, user, entry), form=ConfirmActionForm(), comment=comment,
                           error=error, action_labels=ACTION_LABELS()), status


@bp.app_template_global()
def latest_comment_for(entry: Entry | None):
    """The latest moderator's comment on ENTRY, for its edit form (None for a new entry)."""
    if entry is None or entry.id is None:
        return None
    return review.latest_comment(review.history_of(db_session(), entry))
