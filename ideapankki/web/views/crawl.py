"""For search engines: /sitemap.xml of every public page and /robots.txt that points to it."""

from __future__ import annotations

from flask import Blueprint, Response, url_for

from ... import programmes, sitemap
from ...models import EntryType
from ..database import db_session

bp = Blueprint("crawl", __name__)

# Pages for one account or for moderators: nothing there for a search engine. The public
# moderation log shares its prefix with the queue, so it is allowed first (the longest rule wins,
# and readers that take the first match see it first too).
PRIVATE_PATHS = ("/moderation", "/admin/", "/account", "/my", "/new/", "/login", "/logout", "/register",
                 "/reset", "/confirm/", "/language/", "/entries/*/edit", "/entries/*/act",
                 "/entries/*/revisions", "/entries/*/diff")
PUBLIC_EXCEPTIONS = ("/moderation-log",)


def _absolute(endpoint: str, **values) -> str:
    return url_for(endpoint, **values, _external=True)


@bp.get("/sitemap.xml")
def sitemap_xml():
    """Front, browse pages, every published entry, and theme and municipality pages with entries."""
    pages = sitemap.public_pages(db_session())
    urls = [(_absolute("public.front"), pages.newest), (_absolute("public.entries"), pages.newest)]
    urls += [(_absolute("public.entries", type=t.value), None) for t in EntryType]
    urls += [(_absolute("public.entry", slug=slug), day) for slug, day in pages.entries]
    urls += [(_absolute("public.theme", slug=slug), day) for slug, day in pages.themes]
    urls += [(_absolute("public.municipality", code=code), day) for code, day in pages.municipalities]
    urls += [(_absolute("programmes.index"), None)]
    urls += [(_absolute("programmes.programme", slug=p.slug), None) for p in programmes.all_programmes(db_session())]
    urls += [(_absolute(endpoint), None) for endpoint in ("stats.page", "data.index", "accessibility.statement")]
    return Response(sitemap.render(urls), mimetype="application/xml")


@bp.get("/robots.txt")
def robots_txt():
    """Everything public may be crawled; account, submission, moderation and admin pages may not."""
    lines = ["User-agent: *"]
    lines += [f"Allow: {path}" for path in PUBLIC_EXCEPTIONS]
    lines += [f"Disallow: {path}" for path in PRIVATE_PATHS]
    lines += ["", f"Sitemap: {_absolute('crawl.sitemap_xml')}", ""]
    return Response("\n".join(lines), mimetype="text/plain")
