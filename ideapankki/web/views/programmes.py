"""Trial programme pages (/programmes, /programmes/<slug>) and each programme's Atom feed.

Thin views over ideapankki.programmes: only published practices are listed. `programme_of`
lets an entry page link to the programme its practice belongs to.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, url_for
from flask_babel import get_locale, gettext as _

from ... import feeds, programmes
from ...models import Entry, Programme
from ..database import db_session, reading_without_session, reads
from .feeds import _respond as respond_with_feed  # the feeds' one way to answer with Atom

bp = Blueprint("programmes", __name__)


def _language_args() -> dict[str, str]:
    locale = str(get_locale())
    return {} if locale == current_app.config["BABEL_DEFAULT_LOCALE"] else {"lang": locale}


def _found(slug: str) -> Programme:
    programme = programmes.get(db_session(), slug)
    if programme is None:
        abort(404)
    return programme


def feed_title(programme: Programme) -> str:
    return _("Ideapankki: programme %(name)s", name=programme.title)


@bp.get("/programmes")
def index():
    """Every trial programme with its number of published practices."""
    session = db_session()
    return render_template("programmes/index.html", programmes=programmes.all_programmes(session),
                           counts=programmes.practice_counts(session))


@bp.get("/programmes/<slug>")
def programme(slug: str):
    """A programme: what it is, its period and law, its municipalities by region, its practices."""
    found = _found(slug)
    return render_template(
        "programmes/programme.html",
        programme=found,
        regions=programmes.participants_by_region(found, str(get_locale())),
        practices=programmes.published_practices(db_session(), slug),
        feed_url=url_for("programmes.feed", slug=slug, **_language_args()),
        feed_title=feed_title(found),
    )


@bp.get("/feeds/programme/<slug>.atom")
def feed(slug: str):
    """The programme's published practices, newest first."""
    found = _found(slug)
    practices = programmes.published_practices(db_session(), slug)[:feeds.FEED_SIZE]
    return respond_with_feed(feed_title(found), url_for("programmes.programme", slug=slug, _external=True),
                             practices)


def programme_of(entry: Entry) -> Programme | None:
    """The programme a practice belongs to (for the entry page), or None. Read on the request's pooled
    connection when it reads that way (the anonymous entry page: no session opened and committed for
    it), else from the request's session."""
    if not entry.programme_slug:
        return None
    if reading_without_session():
        return programmes.read(reads(), entry.programme_slug)
    return programmes.get(db_session(), entry.programme_slug)


def init_app(app) -> None:
    app.register_blueprint(bp)
    app.jinja_env.globals["programme_of"] = programme_of
