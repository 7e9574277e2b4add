"""Members write entries: new drafts, previews with similar entries, edits, "my entries"."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session as cookie, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ... import entries, limits, markdown, revisions, submissions, workflow, worklists
from ...search import results as searching
from ...models import Entry, EntryState, EntryType
from ...search import IndexUnavailable
from ..database import begin_writes, db_session, reads_first
from ..index import search_index
from ..entry_form import entry_form, fill_form, mark_missing, read_form
from ..relation_field import offer, settle_picks
from ..notify import after_action
from .. import labels
from ...transitions import ROLE

bp = Blueprint("submit", __name__)

TYPES = tuple(t.value for t in EntryType)


def _user():
    return current_user._get_current_object()


def _similar(title: str, exclude: str | None = None):
    try:
        return [e for e, _score in searching.similar(db_session(), search_index(), title, 5) if e.slug != exclude]
    except IndexUnavailable:
        return []


@bp.get("/my")
@login_required
def mine():
    """The member's and their organisation's entries with state and the latest moderator comment."""
    own = worklists.own_entries(db_session(), _user())
    return render_template("submit/mine.html", entries=own.entries, comments=own.comments, pending=own.pending)


@bp.route("/new/<entry_type>", methods=["GET", "POST"])
@reads_first  # the form is read and rendered before the write lock is taken (_save)
@login_required
def new(entry_type: str):
    """Write a new entry of ENTRY_TYPE: preview, save as a draft, or submit for review."""
    if entry_type not in TYPES:
        abort(404)
    if not _user().can_submit:
        return render_template("submit/not_yet.html"), 403
    form = entry_form(entry_type, request.form if request.method == "POST" else None)
    return _handle(form, entry_type, entry=None)


@bp.route("/entries/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit(slug: str):
    """Edit a draft or returned entry, or propose an edit of a published one (reviewed before it shows)."""
    session = db_session()
    entry = entries.get_by_slug(session, slug)
    if entry is None or not workflow.can_view(_user(), entry):
        abort(404)
    refused = revisions.why_not_editable(session, _user(), entry)
    if refused == ROLE or (refused and request.method == "GET"):
        state, _revision = revisions.subject_state(session, entry)
        return render_template("status/not_editable.html", entry=entry, state=state, role=refused == ROLE), 403
    form = entry_form(entry.type, request.form if request.method == "POST" else None)
    if refused:  # the state changed since the form was shown: what was typed stays on the page
        state, _revision = revisions.subject_state(session, entry)
        form.validate()
        form.form_errors.append(_("Your changes were not saved: the entry is now “%(state)s”, and it cannot be "
                                  "edited in that state. Copy your text if you need it.",
                                  state=labels.STATE_LABELS[state]))
        return _render(form, entry.type, entry, None, None), 409
    if request.method == "GET":
        fill_form(form, revisions.current_document(session, entry))
    return _handle(form, entry.type, entry)


def _handle(form, entry_type: str, entry: Entry | None):
    session = db_session()
    preview = similar = None
    status = 200
    if request.method == "POST":
        settle_picks(form)
    if request.method == "POST" and (request.form.get("find") or "").isdigit():  # the picker, without JS
        offer(session, search_index(), form, int(request.form["find"]))
    elif request.method == "POST":
        if not form.validate():
            if request.form.get("do") == "submit":
                mark_missing(form, entry_type)  # every missing field at once, not the title first
            status = 400
        else:
            base = revisions.current_document(session, entry) if entry is not None else None
            action = request.form.get("do", "preview")
            read = read_form(session, _user(), form, entry_type, entry.slug if entry else "uusi", base,
                             submit=action == "submit")
            try:
                if read is None:
                    status = 400
                elif action == "preview":
                    begin_writes()
                    limits.count_preview(session, _user(), current_app.config["PREVIEWS_PER_HOUR"])
                    preview = markdown.render(form.body.data or "")
                    similar = _similar(form.title.data, exclude=entry.slug if entry else None)
                else:
                    return _save(session, read, action, entry)
            except limits.RateLimited as exc:  # the form keeps what was typed
                return _too_many(form, entry_type, entry, exc)
    return _render(form, entry_type, entry, preview, similar), status


def _save(session, read, action: str, entry: Entry | None):
    """Save the read form as a new entry or an edit of ENTRY, and submit it when asked."""
    doc, codes = read
    body_html = markdown.render(doc.body) if entry is None else None  # the slow part, before the lock
    session = begin_writes()  # from here on under the write lock; the account is read again
    entry, sent = submissions.save(session, _user(), doc, codes, entry, submit=action == "submit",
                                   per_hour=current_app.config["SUBMISSIONS_PER_HOUR"], body_html=body_html)
    if sent:
        after_action(session, entry, workflow.Action.submit, None)
        _flash_once(_("Sent for review. A moderator will look at it soon."))
        return redirect(url_for("submit.mine"))
    _flash_once(_("Saved."))
    return redirect(url_for("submit.edit", slug=entry.slug))


def _flash_once(message: str) -> None:
    """Flash MESSAGE unless it already waits to be shown: a client that does not follow the redirect
    (a script, a second tab) would otherwise grow the session cookie by one message every post."""
    if ("message", message) not in cookie.get("_flashes", ()):
        flash(message)


def _too_many(form, entry_type: str, entry: Entry | None, exc: limits.RateLimited):
    """The form again, with what was typed, 429 and Retry-After: the account is past a limit."""
    minutes = -(-exc.retry_after // 60)
    if isinstance(exc, limits.TooManyPreviews):
        message = _("You have previewed %(limit)s times within the last hour, the most an account may. "
                    "Nothing was lost: save the entry as a draft, or try again in %(minutes)s minutes.",
                    limit=exc.limit, minutes=minutes)
    else:
        message = _("You have started %(limit)s new entries within the last hour, the most an account "
                    "may. Nothing was saved: keep this page open and try again in %(minutes)s minutes.",
                    limit=exc.limit, minutes=minutes)
    form.form_errors.append(message)
    return _render(form, entry_type, entry, None, None), 429, {"Retry-After": str(exc.retry_after)}


def _render(form, entry_type: str, entry: Entry | None, preview, similar) -> str:
    return render_template("submit/form.html", form=form, entry_type=entry_type, entry=entry, preview=preview,
                           similar=similar, published=bool(entry and entry.state == EntryState.published.value))
