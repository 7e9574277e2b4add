"""Atom feeds for journalists and citizens: all entries, per type, theme, municipality, search.

Every feed lists only published entries, newest first, the latest 50 (ideapankki.feeds).
Titles are in the reader's language (?lang= as on the pages). `page_feed()` tells a listing
page which feed shows what it shows, so the page can advertise it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, current_app, g, render_template, request, url_for
from flask_babel import get_locale, gettext as _

from ... import browse, feeds, markdown
from ...search import results as searching
from ...models import EntryType, Municipality
from ...reference import THEME_SLUGS
from ...search import IndexUnavailable
from ..database import db_session, reads
from ..index import search_index
from .. import labels, page_gettext
from ..i18n import language, url_with_query
from .search import parse_search_args

bp = Blueprint("feeds", __name__, url_prefix="/feeds")

ATOM = "application/atom+xml; charset=utf-8"
_TAG = re.compile(r"<[^>]+>")
_BLANK_LINES = re.compile(r"\n\s*\n")
FILTER_NAMES = ("type", "theme", "region", "municipality", "year", "trial_status")
SEARCH_NAMES = ("q", *FILTER_NAMES)


def _absolute(endpoint: str, **values) -> str:
    return url_for(endpoint, **values, _external=True)


def _query(pairs) -> str:
    """The query string as this site writes it (the request's own bytes are the requester's)."""
    encoded = urlencode(list(pairs))
    return f"?{encoded}" if encoded else ""


def structured_html(subject, sid: str) -> str:
    """SUBJECT's structured description (an Entry or an EntryDocument) as the entry page's sections
    (and a norm proposal's response received) show it, and whom to call (the contacts who agreed to
    publication, as on the page and in the open data), in the reader's language, cleaned with the
    body's allowlist for a feed's content."""
    parts = [render_template(f"public/{name}.html", subject=subject, h=2, sid=sid)
             for name in ("_structured", "_norm_response", "_contacts")]  # a response is beside its timeline
    html = _BLANK_LINES.sub("\n", markdown.sanitize("\n".join(parts))).strip()
    return html if _TAG.sub("", html).strip() else ""  # no section: no empty wrapper


def _item(entry, organisations: dict[int, str]) -> feeds.Item:
    url = _absolute("public.entry", slug=entry.slug)
    categories = [feeds.Category(entry.type, str(labels.TYPE_LABELS[entry.type]), _absolute("public.entries") + "?type=")]
    categories += [feeds.Category(slug, str(labels.THEME_LABELS.get(slug, slug)), _absolute("public.front") + "themes/")
                   for slug in entry.theme_slugs]
    if entry.norm_events:  # a norm proposal's latest step after publication
        status = entry.norm_events[-1].status
        categories.append(feeds.Category(status, str(labels.NORM_STATUS_LABELS[status]),
                                         _absolute("public.entries") + "?norm_status="))
    return feeds.Item(
        id=url, url=url, title=entry.title, summary=entry.summary,
        content_html="\n".join(filter(None, (entry.body_html, structured_html(entry, f"s{entry.id}")))),
        published=feeds.published_at(entry), updated=feeds.updated_at(entry),
        author=organisations.get(entry.organisation_id) or "Ideapankki", categories=categories,
    )


def _respond(title: str, page_url: str, entries) -> Response:
    session = db_session()
    entries = feeds.only_published(entries)[:feeds.FEED_SIZE]
    organisations = feeds.organisation_names(session, entries)
    canonical = {k: v for k, v in sorted(request.args.items()) if k in SEARCH_NAMES and v}
    info = feeds.FeedInfo(
        id=_absolute(request.endpoint, **request.view_args, **canonical),
        title=title,
        subtitle=_("The idea bank of Finnish municipal experimentation: trials, ideas and norm proposals."),
        self_url=_absolute(request.endpoint, **request.view_args) + _query(request.args.items(multi=True)),
        page_url=page_url,
        language=str(get_locale()),
    )
    return Response(feeds.render(info, [_item(e, organisations) for e in entries]), mimetype=ATOM)


def feed_title(kind: str, value: str | None = None, query: str | None = None) -> str:
    """The feed's title in the reader's language (page_gettext: every listing page's head and feed link
    ask for it, and Flask-Babel's gettext looked the locale up through its context locals each time)."""
    gettext = page_gettext.gettext
    if kind == "type":
        return gettext("Ideapankki: %(name)s", name=labels.TYPE_PLURALS[value])
    if kind == "theme":
        return gettext("Ideapankki: theme %(name)s", name=labels.THEME_LABELS[value])
    if kind == "municipality":
        # a fixed read on the request's pooled connection: a listing page's head opens no session for it
        return gettext("Ideapankki: %(name)s", name=labels.municipality_name(browse.municipality(reads(), value)))
    if kind == "search":
        if query:
            return gettext("Ideapankki: search “%(query)s”", query=query)
        return gettext("Ideapankki: selected entries")
    return gettext("Ideapankki: latest entries")


@bp.get("/entries.atom")
def entries():
    """All published entries."""
    return _respond(feed_title("all"), _absolute("public.entries"),
                    feeds.latest_published(db_session(), browse.Filters()))


@bp.get("/type/<kind>.atom")
def by_type(kind: str):
    """Published practices, ideas or norm proposals."""
    if kind not in {t.value for t in EntryType}:
        abort(404)
    return _respond(feed_title("type", kind), _absolute("public.entries", type=kind),
                    feeds.latest_published(db_session(), browse.Filters(type=kind)))


@bp.get("/theme/<slug>.atom")
def by_theme(slug: str):
    """Published entries on one theme."""
    if slug not in THEME_SLUGS:
        abort(404)
    return _respond(feed_title("theme", slug), _absolute("public.theme", slug=slug),
                    feeds.latest_published(db_session(), browse.Filters(theme=slug)))


@bp.get("/municipality/<code>.atom")
def by_municipality(code: str):
    """Published entries that concern one municipality (by its 3-digit code)."""
    if db_session().get(Municipality, code) is None:
        abort(404)
    return _respond(feed_title("municipality", code), _absolute("public.municipality", code=code),
                    feeds.latest_published(db_session(), browse.Filters(municipality=code)))


@bp.get("/search.atom")
def search():
    """A search followed as a feed: the search page's parameters, newest first."""
    args = parse_search_args(request.args, feeds.FEED_SIZE)  # a bad value: the 400 page (errors.py)
    kept = {k: v for k, v in request.args.items() if k in SEARCH_NAMES and v}
    page_url = _absolute("search.search_page", **kept, sort="newest")
    if not args.text:
        found = feeds.latest_published(db_session(), args.filters)
    else:
        try:
            found = searching.find(db_session(), search_index(), args.text, args.filters, sort="newest",
                                   per_page=feeds.FEED_SIZE).entries
        except IndexUnavailable:
            current_app.logger.exception("search index unavailable")
            return Response(_("The search is being rebuilt; try again shortly."), 503, mimetype="text/plain")
    return _respond(feed_title("search", query=args.text), page_url, found)


@dataclass
class FeedLink:
    url: str
    title: str


def _language_args() -> dict[str, str]:
    locale = language()  # str(get_locale()), without Flask-Babel's lookups
    return {} if locale == current_app.config["BABEL_DEFAULT_LOCALE"] else {"lang": locale}


def page_feed() -> FeedLink | None:
    """The feed that follows what this listing page shows (front, browse, theme, municipality, search);
    worked out once per request (a listing asks twice: the head's link and the link under the cards)."""
    if "_page_feed" not in g:
        g._page_feed = _page_feed()
    return g._page_feed


def _page_feed() -> FeedLink | None:
    endpoint = request.endpoint
    args = {k: v for k, v in request.args.items() if k in FILTER_NAMES and v}
    language = _language_args()
    if endpoint == "search.search_page":
        kept = {k: v for k, v in request.args.items() if k in SEARCH_NAMES and v}
        return FeedLink(url_with_query("feeds.search", {**kept, **language}),  # the words: no memo
                        feed_title("search", query=kept.get("q")))
    if endpoint == "public.theme":
        args["theme"] = request.view_args["slug"]
    elif endpoint == "public.municipality":
        args["municipality"] = request.view_args["code"]
    elif endpoint not in ("public.front", "public.entries"):
        return None
    if endpoint == "public.front" or not args:
        return FeedLink(url_for("feeds.entries", **language), feed_title("all"))
    if len(args) == 1:
        (name, value), = args.items()
        if name == "type":
            return FeedLink(url_for("feeds.by_type", kind=value, **language), feed_title("type", value))
        if name == "theme":
            return FeedLink(url_for("feeds.by_theme", slug=value, **language), feed_title("theme", value))
        if name == "municipality":
            return FeedLink(url_for("feeds.by_municipality", code=value, **language),
                            feed_title("municipality", value))
    return FeedLink(url_for("feeds.search", **args, **language), feed_title("search"))


def init_app(app) -> None:
    app.register_blueprint(bp)
    app.jinja_env.globals["page_feed"] = page_feed
