"""Moderators review: the queue, the review page, decisions; revision history and diffs; the public log."""

from __future__ import annotations

import difflib

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlmodel import select

from ... import entries, workflow, worklists
from ...revisions import can_edit, subject_state
from ...models import Entry, EntryState, EntryType, Organisation, Revision, Transition, User
from ...reference import THEME_SLUGS
from ..database import db_session
from .. import params
from ..forms import ConfirmActionForm
from ..notify import after_action

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
    """Everything a moderator (or the entry's author) needs to decide: the text, the change, the history."""
    session = db_session()
    entry = _entry_with_history(slug)
    user = _user()
    current, revision = subject_state(session, entry)
    diff = None
    if revision is not None:
        diff = line_diff(entries_source(session, entry), revision.source)
    history = session.exec(select(Transition).where(Transition.entry_id == entry.id).order_by(Transition.id)).all()
    actors = {u.id: u for u in session.exec(select(User).where(
        User.id.in_({t.actor_id for t in history if t.actor_id})))} if history else {}
    return render_template("moderate/review.html", entry=entry, current=current, revision=revision, diff=diff,
                           history=history, actors=actors, actions=workflow.allowed_actions(session, user, entry),
                           can_edit=can_edit(session, user, entry), form=ConfirmActionForm())


def entries_source(session, entry: Entry) -> str:
    from ...content import serialize

    return serialize(entries.to_document(entry))


@bp.post("/entries/<slug>/act")
@login_required
def act(slug: str):
    """Take a workflow action; an action the table does not allow now is a 409 and changes nothing."""
    form = ConfirmActionForm()
    if not form.validate_on_submit():
        abort(400)
    entry = _entry_for(slug)
    try:
        action = workflow.Action(request.form.get("action", ""))
    except ValueError:
        abort(400)
    comment = (request.form.get("comment") or "").strip()[:5000] or None
    session = db_session()
    try:
        workflow.act(session, entry, action, _user(), comment)
    except workflow.NotAllowed:
        abort(403)
    except workflow.WorkflowError as exc:
        return render_template("moderate/conflict.html", entry=entry, detail=str(exc)), 409
    after_action(session, entry, action, comment)
    flash(_("Done: %(action)s.", action=ACTION_LABELS()[action]))
    if action == workflow.Action.submit:
        return redirect(url_for("submit.mine"))
    return redirect(url_for("moderate.review", slug=entry.slug))


def ACTION_LABELS():  # noqa: N802 - a table, built per request for the reader's language
    return {
        workflow.Action.submit: _("sent for review"), workflow.Action.take: _("taken into review"),
        workflow.Action.publish: _("published"), workflow.Action.return_: _("returned to the author"),
        workflow.Action.reject: _("rejected"), workflow.Action.archive: _("archived"),
    }


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
    """A readable line diff between any two revisions (?a=1&b=3)."""
    session = db_session()
    entry = _entry_with_history(slug)
    numbers = [params.integer(k, None, 1, MAX_REVISION) for k in ("a", "b")]
    found = {r.number: r for r in session.exec(select(Revision).where(
        Revision.entry_id == entry.id, Revision.number.in_(numbers)))}
    if len(found) != len(set(numbers)):
        abort(404)
    a, b = found[numbers[0]], found[numbers[1]]
    return render_template("moderate/diff.html", entry=entry, a=a, b=b, diff=line_diff(a.source, b.source))


def line_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Lines as (kind, text): kind is "same", "added" or "removed"."""
    rows = []
    for line in difflib.ndiff(old.splitlines(), new.splitlines()):
        code, text = line[:2], line[2:]
        if code == "? ":
            continue
        rows.append(({"  ": "same", "+ ": "added", "- ": "removed"}[code], text))
    return rows


@bp.get("/moderation-log")
def log():
    """Public: decisions to reject, with the reasons, without personal data."""
    session = db_session()
    rows = session.exec(select(Transition, Entry).join(Entry, Entry.id == Transition.entry_id)
                        .where(Transition.to_state == EntryState.rejected.value)
                        .order_by(Transition.id.desc()).limit(LOG_SIZE)).all()
    organisations = {o.id: o for o in session.exec(select(Organisation))}
    return render_template("moderate/log.html", rows=rows, organisations=organisations)
