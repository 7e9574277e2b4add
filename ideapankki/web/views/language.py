"""The language switch: /language/<code> remembers the reader's choice in a cookie and goes back."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, request

from ..i18n import COOKIE, ONE_YEAR
from ..redirects import safe_next

bp = Blueprint("i18n", __name__)


@bp.get("/language/<code>")
def switch(code: str):
    """Remember CODE as the UI language and go back to the page the reader was on."""
    if code not in current_app.config["LANGUAGES"]:
        abort(404)
    response = redirect(safe_next(request.args.get("next")))
    response.set_cookie(COOKIE, code, max_age=ONE_YEAR, httponly=True, samesite="Lax",
                        secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response
