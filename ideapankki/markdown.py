"""Markdown → safe HTML. The only module that imports markdown or nh3.

Entries are written by outside users, so the Markdown output is never trusted: nh3
(Ammonia) cleans it with an explicit allowlist. Rendering happens once at save time.
"""

from __future__ import annotations

import markdown as _markdown
import nh3
from markdown.extensions.toc import slugify_unicode

HEADING_ID_PREFIX = "md-"

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6",
        "strong", "em", "b", "i", "code", "pre", "blockquote", "del", "sub", "sup",
        "ul", "ol", "li", "dl", "dt", "dd", "a", "abbr",
        "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption",
        "div",
    }
)
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "ol": {"start"},
    "h1": {"id"}, "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"},
    "th": {"scope"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})


def _heading_slug(value: str, separator: str) -> str:
    return HEADING_ID_PREFIX + slugify_unicode(value, separator)


def _keep_only_fragments(url: str) -> str | None:
    """Keep in-page links (the table of contents); drop every other relative URL."""
    return url if url.startswith("#") else None


_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags={"script", "style"},
    attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
    url_schemes=set(URL_SCHEMES),
    url_relative=_keep_only_fragments,
    link_rel="noopener noreferrer nofollow",
    id_prefix=HEADING_ID_PREFIX,
    strip_comments=True,
)

_EXTENSIONS = ["tables", "fenced_code", "sane_lists", "toc"]
_EXTENSION_CONFIG = {"toc": {"slugify": _heading_slug, "permalink": False}}


class MarkdownError(ValueError):
    """Markdown that cannot be rendered (nested too deeply for Python-Markdown's recursive parser)."""


def render(text: str) -> str:
    """Render Markdown TEXT to sanitised HTML (MarkdownError when it is nested too deeply)."""
    converter = _markdown.Markdown(extensions=_EXTENSIONS, extension_configs=_EXTENSION_CONFIG)
    try:
        html = converter.convert(text)
    except RecursionError:
        raise MarkdownError("the text is nested too deeply (lists or quotes inside one another)") from None
    return sanitize(html)


def sanitize(html: str) -> str:
    """Clean an HTML fragment with the site's allowlist."""
    return _CLEANER.clean(html)
