"""One entry's Atom feed: organisations that take it into use or are interested, and its new versions.

What is listed is decided in ideapankki.entry_news; this module words it in the reader's language.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, url_for
from flask_babel import get_locale, gettext as _

from ... import browse, entry_news, feeds
from ...models import Entry
from .. import page_gettext
from ..database import db_session
from ..slug_links import linker
from .feeds import ATOM, FeedLink, _language_args, structured_html

bp = Blueprint("adoption_feed", __name__, url_prefix="/feeds")


def _item(entry: Entry, page: str, news: entry_news.News) -> feeds.Item:
    if news.mark is not None:
        mark = news.mark
        if mark.adoption.status == "adopted":
            title = _("%(organisation)s: in use since %(year)s", organisation=mark.organisation.name,
                      year=mark.adoption.year)
        else:
            title = _("%(organisation)s: interested", organisation=mark.organisation.name)
        return feeds.Item(id=f"{page}#adoption-{mark.adoption.id}", url=f"{page}#adoptions-title", title=title,
                          summary=mark.adoption.note or title, content_html="", published=news.at,
                          updated=news.at, author=mark.organisation.name)
    version = news.version
    title = (_("Version %(number)s published: %(title)s", number=version.number, title=version.document.title)
             if version.number > 1 else _("Published: %(title)s", title=version.document.title))
    history = url_for("history.versions", slug=entry.slug, _external=True) + f"#version-{version.number}"
    return feeds.Item(id=history, url=history, title=title, summary=version.document.summary,
                      content_html=structured_html(version.document, f"v{version.number}"),
                      published=news.at, updated=news.at,
                      author=version.organisation.name if version.organisation else "Ideapankki")


@bp.get("/entry/<slug>.atom")
def entry_feed(slug: str):
    """New adopters and new versions of one published entry, newest first."""
    session = db_session()
    entry = browse.get_published(session, slug)
    if entry is None:
        abort(404)
    page = url_for("public.entry", slug=slug, _external=True)
    info = feeds.FeedInfo(
        id=url_for("adoption_feed.entry_feed", slug=slug, _external=True),
        title=_("Ideapankki: news of “%(title)s”", title=entry.title),
        subtitle=_("Organisations that take it into use or are interested, and its new versions."),
        self_url=url_for("adoption_feed.entry_feed", slug=slug, _external=True),
        page_url=page, language=str(get_locale()))
    items = [_item(entry, page, news) for news in entry_news.news(session, entry)]
    return Response(feeds.render(info, items), mimetype=ATOM)


def entry_feed_link(entry: Entry) -> FeedLink:
    """The entry's own feed, for its page's <head> (in the reader's language, as the listing pages' feeds)."""
    return FeedLink(linker()("adoption_feed.entry_feed", "slug", entry.slug, **_language_args()),
                    page_gettext.gettext("Ideapankki: news of “%(title)s”", title=entry.title))


def init_app(app) -> None:
    app.register_blueprint(bp)
    app.jinja_env.globals["entry_feed_link"] = entry_feed_link
