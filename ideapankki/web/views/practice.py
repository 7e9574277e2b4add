"""The structured description on pages: template helpers, and a moderator confirming an evidence level."""

from __future__ import annotations

from flask import Blueprint, Flask, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ... import entries, evidence, revisions, structured, workflow
from ...content import ContentError, EntryDocument, from_mapping
from ...models import Entry, EntryState, EntryType
from ..database import db_session
from ..entry_form import form_mapping
from ..forms import ConfirmActionForm
from .. import structured_labels

bp = Blueprint("practice", __name__)


class Details(dict):
    """A structured description as the templates read it: a part it lacks is None, by key or by
    attribute (`d['goals']`, `d.results`), which the templates only test (`{% if d.results %}`).
    Jinja looked an absent part up as a key and as an attribute, two exceptions and an Undefined
    each: a dozen absent parts on a practice's page, some 20 µs. The text is the same."""

    __slots__ = ()

    def __missing__(self, key):
        return None

    def __getattr__(self, name: str):
        if name.startswith("_"):  # never a part: special names (__html__…) stay absent
            raise AttributeError(name)
        return self.get(name)


def details_of(subject: Entry | EntryDocument | None) -> dict:
    """The structured description of an entry row or a document, as structured.read gives it (Details)."""
    if subject is None:
        return Details()
    if isinstance(subject, EntryDocument):
        return Details(subject.details)
    levels = {k: getattr(subject, k) for k in ("evidence_level", "evidence_proposed") if getattr(subject, k)}
    return Details(structured.from_json({**(subject.details or {}), **levels}))


def preview_document(form, entry_type: str) -> EntryDocument | None:
    """What the entry form describes, for its preview (None while it does not validate)."""
    data = form_mapping(form, entry_type)
    try:
        return None if data is None else from_mapping(data, "", "form", "uusi", draft=True)
    except ContentError:
        return None


def review_document(entry: Entry) -> EntryDocument:
    """The text under review: the pending edit of a published entry, else the entry's own."""
    return revisions.current_document(db_session(), entry)


def may_confirm_evidence(entry: Entry) -> bool:
    """Whether the reader may confirm ENTRY's evidence level now (a moderator, a practice in review)."""
    if entry.type != EntryType.practice.value or not current_user.is_authenticated or not current_user.is_moderator:
        return False
    return revisions.subject_state(db_session(), entry)[0] == EntryState.in_review.value


@bp.post("/moderation/<slug>/evidence")
@login_required
def confirm_evidence(slug: str):
    """A moderator sets the confirmed evidence level of a practice in review (empty: none)."""
    if not ConfirmActionForm().validate_on_submit():
        abort(400)
    session = db_session()
    entry = entries.get_by_slug(session, slug)
    if entry is None or not workflow.can_view(current_user._get_current_object(), entry):
        abort(404)
    raw = request.form.get("evidence_level", "")
    if raw not in ("", *map(str, structured.EVIDENCE_LEVELS)):
        abort(400)
    try:
        evidence.confirm(session, current_user._get_current_object(), entry, int(raw) if raw else None)
    except workflow.NotAllowed:
        abort(403)
    except workflow.WorkflowError:
        abort(409)
    flash(_("Evidence level confirmed: %(level)s.", level=structured_labels.EVIDENCE_LABELS[int(raw)])
          if raw else _("The evidence level was cleared."))
    return redirect(url_for("moderate.review", slug=entry.slug))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.jinja_env.globals.update(
        details_of=details_of, preview_document=preview_document, review_document=review_document,
        may_confirm_evidence=may_confirm_evidence, shown_contacts=structured.shown_contacts,
        structured_labels=structured_labels)
