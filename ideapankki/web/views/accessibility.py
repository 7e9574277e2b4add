"""The accessibility statement (saavutettavuusseloste) that Finnish law 306/2019 requires.

The facts it states are kept here, beside the code, so that the tests can hold them to what
the browser tests actually check (tests/browser): the number of page types axe-core runs on,
and the date the statement was last reviewed.
"""

from __future__ import annotations

from datetime import date
from email.utils import parseaddr

from flask import Blueprint, current_app, render_template

bp = Blueprint("accessibility", __name__)

STATEMENT_DATE = date(2026, 12, 7)  # when the statement was made or last reviewed
AXE_PAGE_TYPES = 52  # page types checked with axe-core, each in fi, sv and en (tests/browser/page_types.py)
SUPERVISOR_URL = "https://www.saavutettavuusvaatimukset.fi"


def feedback_address() -> str:
    """Where accessibility feedback goes: ACCESSIBILITY_FEEDBACK, else the site's sender address."""
    configured = current_app.config.get("ACCESSIBILITY_FEEDBACK")
    if configured:
        return configured
    from ...mail import MailSettings

    sender = MailSettings.from_environment(current_app.config["INSTANCE_DIR"]).sender
    return parseaddr(sender)[1] or sender


@bp.get("/accessibility")
def statement():
    """The statement in the reader's language: status, known gaps, feedback and supervision."""
    return render_template("public/accessibility.html", statement_date=STATEMENT_DATE,
                           page_types=AXE_PAGE_TYPES, languages=len(current_app.config["LANGUAGES"]),
                           feedback=feedback_address(), supervisor_url=SUPERVISOR_URL)
