"""Moderators review: the queue, the review page, decisions; revision history and diffs; the public log."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlmodel import select

from ... import drafts, entries, fielddiff, review as review_data, transitions, workflow, worklists
from ...revisions import can_edit
from ...models import Entry, EntryState, EntryType, Organisation, Revision, Transition, User
from ...reference import THEME_SLUGS
from ...search import IndexUnavailable
from ..database import db_session
from .. import field_labels, params, refusals
from ..refusals import ACTION_LABELS
from ..forms import ConfirmActionForm
from ..index import search_index
from ..notify import after_action
from . import status as status_view

bp = Blueprint("moderate", __name__)

AGES = {"1": 1, "7": 7, "30": 30}
LOG_SIZE = 100
MAX_REVISION = 2**31 - 1  # revision numbers are INTEGER columns


def _user():
    return current_user._get_current_object()


def _moderator():
    if not current_user.is_moderator:
        abort(403)


def _entry_for(slug: str) -> Entry:
    entry = entries.get_by_slug(db_session(), slug)
    if entry is None or not workflow.can_view(_user() if current_user.is_authenticated else None, entry):
        abort(404)
    return entry


def _entry_with_history(slug: str) -> Entry:
    """The entry, for those who may follow its review: 404 unless visible, 403 unless allowed."""
    entry = _entry_for(slug)
    if not workflow.may_follow_review(_user(), entry):
        abort(403)
    return entry


@bp.get("/moderation")
@login_required
def queue():
    """Entries and edits waiting for review, with filters (type, state, theme, age) and counts."""
    _moderator()
    session = db_session()
    kind = params.choice("type", [t.value for t in EntryType])
    state = params.choice("state", worklists.QUEUE_STATES)
    theme = params.choice("theme", THEME_SLUGS)
    age = params.choice("age", AGES)
    queue = worklists.moderation_queue(session, worklists.QueueFilter(kind, state, theme, AGES[age] if age else None))
    return render_template("moderate/queue.html", items=queue.items, counts=queue.counts, total=queue.total,
                           filters={"type": kind, "state": state, "theme": theme, "age": age})


@bp.get("/moderation/<slug>")
@login_required
def review(slug: str):
    """Everything a moderator needs to decide: every field, the change, possible duplicates, the history.
    The entry's author follows it on their status page instead (no moderator's comment box there)."""
    entry = _entry_with_history(slug)
    if not _user().is_moderator:
        return redirect(url_for("status.page", slug=slug))
    return render_review(entry)


def render_review(entry: Entry, *, action: str | None = None, comment: str | None = None,
                  error: str | None = None, status: int = 200):
    """The review page; after a refusal, with the typed COMMENT kept and the ERROR at the comment field."""
    session = db_session()
    user = _user()
    may_waive = current_app.config["SINGLE_MODERATOR"]
    found = review_data.read(session, entry, field_labels.show)
    try:
        found = review_data.with_duplicates(session, search_index(), found)
    except IndexUnavailable:
        pass
    return render_template("moderate/review.html", entry=entry, current=found.state, revision=found.revision,
                           review=found, history=found.history, actors=found.people,
                           actions=workflow.allowed_actions(session, user, entry, may_waive),
                           own_text=user.id in workflow.facts(session, entry, found.revision).text_authors,
                           can_edit=can_edit(session, user, entry), form=ConfirmActionForm(),
                           chosen=action, comment=comment, error=error, action_labels=ACTION_LABELS()), status


@bp.post("/entries/<slug>/act")
@login_required
def act(slug: str):
    """Take a workflow action. A refusal says its true reason and keeps the comment: a missing comment
    is 400 at the comment field, a rule (four eyes, appeals) 403, and 409 only when the entry changed
    since the page was shown; an irreversible action first asks for a confirmation."""
    form = ConfirmActionForm()
    if not form.validate_on_submit():
        abort(400)
    entry = _entry_for(slug)
    try:
        action = workflow.Action(request.form.get("action", ""))
    except ValueError:
        abort(400)
    comment = (request.form.get("comment") or "").strip()[:5000] or None
    waive = request.form.get("waive") == "yes"
    session = db_session()
    user = _user()
    may_waive = current_app.config["SINGLE_MODERATOR"]
    try:
        move, _revision = workflow.check(session, entry, action, user, comment, waive=waive, may_waive=may_waive)
        if move.irreversible and request.form.get("confirmed") != "yes":
            return render_template("moderate/confirm.html", entry=entry, action=action, comment=comment,
                                   seen=request.form.get("seen"), form=form)
        workflow.act(session, entry, action, user, comment, waive=waive, may_waive=may_waive)
    except workflow.CommentRequired:
        return _refused(entry, action, comment, refusals.comment_missing(action), 400)
    except drafts.Incomplete as exc:  # sending a draft that is a title alone: say what to fill in
        return _refused(entry, action, comment, refusals.incomplete(exc.keys), 400)
    except workflow.NotAllowed as exc:
        if exc.reason == transitions.ROLE:
            abort(403)
        return _refused(entry, action, comment, refusals.not_allowed(exc.reason), 403)
    except workflow.WorkflowError as exc:
        seen = request.form.get("seen")
        if seen and seen == exc.state:  # unchanged since the page: a move the page did not offer
            return _refused(entry, action, comment, refusals.wrong_state(action, exc.state), 400)
        last = session.exec(select(Transition).where(Transition.entry_id == entry.id)
                            .order_by(Transition.id.desc())).first()
        actor = session.get(User, last.actor_id) if last is not None and last.actor_id else None
        return render_template("moderate/conflict.html", entry=entry, state=exc.state, last=last, actor=actor,
                               action=action, comment=comment), 409
    after_action(session, entry, action, comment)
    flash(_("Done: %(action)s.", action=ACTION_LABELS()[action]))
    if action in (workflow.Action.submit, workflow.Action.appeal):
        return redirect(url_for("status.page", slug=entry.slug))
    return redirect(url_for("moderate.review", slug=entry.slug))


def _refused(entry: Entry, action, comment, message: str, status: int):
    """The page the person acted from, again, with the reason at the comment field and the comment kept."""
    if _user().is_moderator:
        return render_review(entry, action=action.value, comment=comment, error=message, status=status)
    return status_view.render_status(entry, comment=comment, error=message, status=status)


@bp.get("/entries/<slug>/revisions")
@login_required
def revisions(slug: str):
    """The saved versions of an entry, for its organisation and moderators."""
    session = db_session()
    entry = _entry_with_history(slug)
    rows = session.exec(select(Revision).where(Revision.entry_id == entry.id).order_by(Revision.number.desc())).all()
    return render_template("moderate/revisions.html", entry=entry, revisions=rows)


@bp.get("/entries/<slug>/diff")
@login_required
def diff(slug: str):
    """The changed fields between any two saved versions (?a=1&b=3), changed words marked."""
    session = db_session()
    entry = _entry_with_history(slug)
    numbers = [params.integer(k, None, 1, MAX_REVISION) for k in ("a", "b")]
    found = {r.number: r for r in session.exec(select(Revision).where(
        Revision.entry_id == entry.id, Revision.number.in_(numbers)))}
    if len(found) != len(set(numbers)):
        abort(404)
    a, b = found[numbers[0]], found[numbers[1]]
    changes = fielddiff.field_diff(review_data.snapshot(a, entry), review_data.snapshot(b, entry), field_labels.show)
    return render_template("moderate/diff.html", entry=entry, a=a, b=b, changes=changes)


@bp.get("/moderation-log")
def log():
    """Public: what was returned, rejected or archived and why, appeals and their outcome, and
    publications where four eyes were waived; rejected entries' titles (authors agree when they submit)."""
    session = db_session()
    logged = (Transition.to_state.in_(LOGGED_STATES) | Transition.action.in_(LOGGED_ACTIONS)
              | Transition.waived.is_(True))
    rows = session.exec(select(Transition, Entry).join(Entry, Entry.id == Transition.entry_id)
                        .where(logged, Transition.actor_id.is_not(None))
                        .order_by(Transition.id.desc()).limit(LOG_SIZE)).all()
    organisations = {o.id: o for o in session.exec(select(Organisation))}
    return render_template("moderate/log.html", rows=rows, organisations=organisations, log_labels=ACTION_LABELS())


LOGGED_STATES = (EntryState.returned.value, EntryState.rejected.value, EntryState.archived.value)
LOGGED_ACTIONS = ("appeal", "reopen", "uphold")
