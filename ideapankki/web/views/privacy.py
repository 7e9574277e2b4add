"""The privacy statement (tietosuojaseloste): what personal data the whole site keeps, why, and for how long.

The periods it states are read from the code that enforces them, so the statement cannot drift
from what the site does.
"""

from __future__ import annotations

from flask import Blueprint, render_template

from ... import following, limits, login_throttle
from .accessibility import feedback_address

bp = Blueprint("privacy", __name__)


@bp.get("/privacy")
def statement():
    """The statement in the reader's language."""
    return render_template("public/privacy.html", contact=feedback_address(),
                           confirm_hours=int(following.CONFIRM_WINDOW.total_seconds() // 3600),
                           rate_hours=int(limits.WINDOW.total_seconds() // 3600),
                           login_minutes=int(login_throttle.WINDOW.total_seconds() // 60))
