"""Where submitting starts: the "submit" page linked from the header and the front page, and the
"edit" link on an entry for those the transition table lets edit it (transitions.EDITS)."""

from __future__ import annotations

from flask import Blueprint, Flask, render_template

from ... import revisions
from ...models import Entry
from ..database import db_session
from ..extensions import current_reader

bp = Blueprint("contribute", __name__)


@bp.get("/submit")
def start():
    """How to submit: the three kinds of entry for a member who may; log in or register for others."""
    return render_template("submit/start.html")


def may_edit_entry(entry: Entry) -> bool:
    """Tell whether the reader may edit ENTRY now (the EDITS table; an edit of a published entry is reviewed)."""
    user = current_reader()  # current_user's object, read from g (the entry page asks on every render)
    return bool(user.is_authenticated) and revisions.can_edit(db_session(), user, entry)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.jinja_env.globals["may_edit_entry"] = may_edit_entry
