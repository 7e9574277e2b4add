"""An entry page's own markup built in Python: its head, header and facts, laws, links, citation, similar entries.

The entry page is the site's most visited page, and Jinja's work on it was some 40 % of its CPU: about
ninety escaped expressions, each an attribute lookup through the environment, an escape and a yield
through three generators, and a dozen helpers called through filters. Here each part is a few string
joins, with the translated words of the page's language looked up once per app and locale (as the
listing cards are, listing_html.py). What the page shares with other pages or where templates branch
on forms stays in templates/public/entry.html's partials (the structured description, a norm's status
and response, adoptions, contacts).

The output is byte for byte what the template gave (tests/web/test_entry_html.py keeps the template
as the reference). Values are escaped as Jinja's autoescape escapes them (web/template_escape.py:
Markup passes unchanged, so do the label tables, which web/page_gettext.py translated to Markup);
every UI string is the catalogue's text of the request's language, as the template's folded `_`.
"""

from __future__ import annotations

from flask import current_app, url_for
from flask_babel import get_translations
from markupsafe import Markup

from .. import page_gettext
from ..citation import OG_LOCALES, citation_text
from ..i18n import language
from ..template_escape import escape
from ..templating import finlex_url, long_date

try:  # markupsafe's C escape of a str, without a Markup made per value
    from markupsafe._speedups import _escape_inner as _escaped_str
except ImportError:  # another markupsafe: its public escape, the same text
    def _escaped_str(text: str) -> str:
        return str(escape(text))

KEY = "ideapankki.entry_html"


def _e(value) -> str:
    """VALUE as `{{ value }}` writes it into an HTML page."""
    return _escaped_str(value) if value.__class__ is str else str(escape(value))


def _words() -> dict:
    """What every entry page in the request's language shares, built once per app and locale: the
    label tables (page_gettext's, Markup) and the texts the template's `_("…")` gave (not escaped)."""
    locale = language()
    kept = current_app.extensions.setdefault(KEY, {})
    found = kept.get(locale)
    if found is not None:
        return found
    translations = get_translations()

    def _(msgid: str) -> str:  # the template's folded `_`: the text, `% {}` applied
        return translations.ugettext(msgid) % {}

    gettext = translations.ugettext  # a text with variables, filled in per page

    found = kept[locale] = {
        "locale": locale, "labels": page_gettext._callables(current_app.extensions[page_gettext.KEY])["labels"],
        "ugettext": translations.ugettext, "ungettext": translations.ungettext, "site": _("Ideapankki"),
        "edit": _("Edit this entry"),
        "edit_help": _("A moderator reviews your changes; until then the published text stays as it is."),
        "versions": _("This entry in other languages:"), "details": _("Details"),
        "published": _("Published"), "period": _("Period"), "trial_status": _("Trial status"),
        "programme": _("Trial programme"), "origin": _("Origin"), "keywords": _("Keywords"),
        "entry_language": _("Language of the entry"), "permanent": _("Permanent address"),
        "proposed_action": _("Proposed action"), "why": _("Why?"), "savings": _("Expected savings"),
        "time_saved": _("Time saved"), "people": _("People affected"), "proposed_by": _("Proposed by"),
        "laws": _("Laws and regulations"), "finlex": _("the law on Finlex"), "linked": _("Linked entries"),
        "links": _("Links"), "cite": _("Cite this entry"), "copy": _("Copy this reference to cite the entry:"),
        "history": _("Version history"), "follow": _("Follow by e-mail"), "report": _("Report an error"),
        "similar": _("Similar entries"), "updated": Markup(gettext("Updated %(date)s")),
    }
    return found


def ngettext(singular: str, plural: str, count: int, words: dict) -> str:
    """The page's ngettext (web/page_gettext.py) in WORDS' language: the form for COUNT, `num` filled in."""
    return str(Markup(words["ungettext"](singular, plural, count)) % {"num": count})


def _versions(related) -> list:
    return [link for link in related or () if link.kind == "translation_of"]


def entry_meta(entry, related) -> Markup:
    """The page's <head> block: description, canonical and language versions, Open Graph and article metadata."""
    words = _words()
    labels = words["labels"]
    summary, address = _e(entry.summary), _e(url_for("public.entry", slug=entry.slug, _external=True))
    parts = ['<meta name="description" content="', summary, '">\n  <link rel="canonical" href="', address, '">\n']
    for link in _versions(related):
        parts += ['  <link rel="alternate" hreflang="', _e(link.entry.language), '" href="',
                  _e(url_for("public.entry", slug=link.entry.slug, _external=True)), '">\n']
    parts += ['  <meta property="og:type" content="article">\n  <meta property="og:site_name" content="',
              words["site"], '">\n  <meta property="og:title" content="', _e(entry.title),
              '">\n  <meta property="og:description" content="', summary, '">\n  <meta property="og:url" content="',
              address, '">\n  <meta property="og:locale" content="', _e(OG_LOCALES.get(entry.language, "fi_FI")),
              '">\n']
    for code, locale in OG_LOCALES.items():
        if code != entry.language:
            parts += ['  <meta property="og:locale:alternate" content="', _e(locale), '">\n']
    if entry.published_on:
        parts += ['  <meta property="article:published_time" content="', _e(entry.published_on.isoformat()), '">\n']
    themes = labels.THEME_LABELS
    for slug in entry.theme_slugs:
        parts += ['  <meta property="article:tag" content="', _e(themes.get(slug, "")), '">\n']
    return Markup("".join(parts))


def entry_top(entry, related) -> Markup:
    """From <article> to the end of the facts: the header, the body and a norm's proposal, the facts."""
    words = _words()
    labels, locale, lang, slug = words["labels"], words["locale"], _e(entry.language), entry.slug
    kind = entry.type
    parts = ['<article class="entry" lang="', lang, '">\n  <header class="entry-header">\n    <p class="kicker"><a href="',
             _e(url_for("public.entries", type=kind)), '" lang="', locale, '"><span class="badge badge-', _e(kind), '">',
             _e(labels.TYPE_LABELS.get(kind, "")), '</span></a></p>\n    <h1>', _e(entry.title),
             '</h1>\n    <p class="lead">', _e(entry.summary), '</p>\n']
    helpers = current_app.jinja_env.globals  # the views' helpers, as the template called them (no import cycle)
    if helpers["may_edit_entry"](entry):
        parts += ['<p class="edit-entry" lang="', locale, '"><a href="', _e(url_for("submit.edit", slug=slug)), '">',
                  words["edit"], "</a>"]
        if entry.state == "published":
            parts += [' <span class="help">', words["edit_help"], "</span>"]
        parts.append("</p>\n")
    versions = _versions(related)
    if versions:
        endonyms = labels.LANGUAGE_ENDONYMS
        parts += ['    <p class="other-versions" lang="', locale, '">', words["versions"], "\n", ", ".join([
            f'<a href="{_e(url_for("public.entry", slug=link.entry.slug))}" hreflang="{_e(link.entry.language)}" '
            f'lang="{_e(link.entry.language)}">{_e(endonyms.get(link.entry.language, ""))}: {_e(link.entry.title)}</a>'
            for link in versions]), "</p>\n"]
    parts += ['  </header>\n\n  <div class="entry-layout">\n    <div class="entry-body">\n      ',
              str(Markup(entry.body_html)), '\n      <div lang="', locale, '">']
    if kind == "norm" and (entry.proposal_action or entry.proposal_justification):
        parts += _proposal(entry, words, lang)
    parts += ['</div>\n    </div>\n\n    <aside class="entry-facts" lang="', locale,
              '" aria-labelledby="facts-title">\n      <h2 id="facts-title" class="visually-hidden">', words["details"],
              '</h2>\n      <dl class="facts">\n']
    parts += _facts(entry, words, lang, helpers["programme_of"](entry))
    return Markup("".join(parts))


def _proposal(entry, words: dict, lang: str) -> list[str]:
    """What a norm proposal asks for, and why (the facts above its status)."""
    labels = words["labels"]
    parts = ['<dl class="facts proposal">\n']
    if entry.proposal_action:
        parts += ["<dt>", words["proposed_action"], "</dt><dd>",
                  _e(labels.NORM_ACTION_LABELS.get(entry.proposal_action, "")), "</dd>"]
    for name, value in (("why", entry.proposal_justification), ("savings", entry.proposal_savings),
                        ("time_saved", entry.proposal_time), ("people", entry.proposal_people)):
        if value:
            parts += ["<dt>", words[name], '</dt><dd lang="', lang, '">', _e(value), "</dd>"]
    if entry.proposal_proposer_role:
        parts += ["<dt>", words["proposed_by"], "</dt><dd>",
                  _e(labels.PROPOSER_ROLE_LABELS.get(entry.proposal_proposer_role, "")), "</dd>"]
    parts.append("</dl>\n")
    return parts


def _time(day) -> str:
    return f'<time datetime="{_e(day.isoformat())}">{_e(long_date(day))}</time>'


def _facts(entry, words: dict, lang: str, programme) -> list[str]:
    """The facts list of the entry's aside, and the end of the aside."""
    labels, parts = words["labels"], []
    if entry.published_on:
        parts += ["        <dt>", words["published"], "</dt>\n        <dd>", _time(entry.published_on), "</dd>\n"]
    if entry.period_start:
        parts += ["        <dt>", words["period"], "</dt>\n        <dd>", _time(entry.period_start), " – "]
        if entry.period_end:
            parts.append(_time(entry.period_end))
        parts.append("</dd>\n")
    status = entry.trial_status
    if status:
        parts += ["        <dt>", words["trial_status"], '</dt>\n        <dd><a href="',
                  _e(url_for("public.entries", trial_status=status)), '">',
                  _e(labels.TRIAL_STATUS_LABELS.get(status, "")), "</a></dd>\n"]
    if programme:
        parts += ["<dt>", words["programme"], '</dt>\n<dd><a href="',
                  _e(url_for("programmes.programme", slug=programme.slug)), '" lang="', _e(programme.language), '">',
                  _e(programme.title), "</a></dd>\n"]
    if entry.origin:
        parts += ["        <dt>", words["origin"], '</dt>\n        <dd lang="', lang, '">', _e(entry.origin), "</dd>\n"]
    places = entry.municipalities
    if places:
        swedish = words["locale"] == "sv"
        parts += ["        <dt>", _e(ngettext("Municipality", "Municipalities", len(places), words)),
                  '</dt>\n        <dd><ul class="inline-list">',
                  *[f'<li><a href="{_e(url_for("public.municipality", code=m.code))}">'
                    f'{_e(m.name_sv if swedish else m.name_fi)}</a></li>' for m in places], "</ul></dd>\n"]
    themes = entry.theme_slugs
    if themes:
        names = labels.THEME_LABELS
        parts += ["        <dt>", _e(ngettext("Theme", "Themes", len(themes), words)),
                  '</dt>\n        <dd><ul class="inline-list">',
                  *[f'<li><a href="{_e(url_for("public.theme", slug=slug))}">{_e(names.get(slug, ""))}</a></li>'
                    for slug in themes], "</ul></dd>\n"]
    if entry.tags:
        parts += ["        <dt>", words["keywords"], '</dt>\n        <dd><ul class="inline-list tags" lang="', lang, '">',
                  *[f"<li>{_e(tag)}</li>" for tag in entry.tags], "</ul></dd>\n"]
    parts += ["        <dt>", words["entry_language"], "</dt>\n        <dd>",
              _e(labels.LANGUAGE_LABELS.get(entry.language, "")), "</dd>\n        <dt>", words["permanent"],
              '</dt>\n        <dd><a href="', _e(url_for("public.entry", slug=entry.slug)), '" class="permalink">',
              _e(url_for("public.entry", slug=entry.slug, _external=True)),
              "</a></dd>\n      </dl>\n    </aside>\n  </div>\n\n"]
    return parts


def entry_laws(entry) -> Markup:
    """The laws and regulations the entry names, with their Finlex links (the blank lines around them too)."""
    if not entry.laws:
        return Markup("\n\n")
    words = _words()
    lang = _e(entry.language)
    parts = ['\n  <section class="entry-section" lang="', words["locale"],
             '" aria-labelledby="laws-title">\n    <h2 id="laws-title">', words["laws"], '</h2>\n    <ul class="laws">\n']
    for law in entry.laws:
        parts += ['      <li><span lang="', lang, '">', _e(law.title), "</span>"]
        if law.number:
            parts += [" (", _e(law.number), ")"]
        if law.section:
            parts += [', <span lang="', lang, '">', _e(law.section), "</span>"]
        finlex = finlex_url(law.number)
        if finlex:
            parts += [' – <a href="', _e(finlex), '" rel="noopener noreferrer">', words["finlex"],
                      '<span class="visually-hidden"> (', _e(law.number), ")</span></a>"]
        parts.append("</li>\n")
    parts.append("    </ul>\n  </section>\n\n")
    return Markup("".join(parts))


def entry_related(related) -> Markup:
    """The entry's links to other entries but its language versions (the blank lines around them too)."""
    others = [link for link in related or () if link.kind != "translation_of"]
    if not others:
        return Markup("\n\n")
    words = _words()
    labels = words["labels"]
    parts = ['\n  <section class="entry-section" lang="', words["locale"],
             '" aria-labelledby="related-title">\n    <h2 id="related-title">', words["linked"],
             '</h2>\n    <ul class="link-list relations">\n']
    for link in others:
        other = link.entry
        parts += ["      <li>", _e(labels.RELATION_LABELS.get((link.kind, link.direction), "")), ': <a href="',
                  _e(url_for("public.entry", slug=other.slug)), '" lang="', _e(other.language), '">', _e(other.title),
                  '</a> <span class="count">(', _e(labels.TYPE_LABELS.get(other.type, "")), ")</span></li>\n"]
    parts.append("    </ul>\n  </section>\n\n")
    return Markup("".join(parts))


def entry_end(entry, similar) -> Markup:
    """From the entry's links to the end of the page: links, citation, history, reader actions, similar entries."""
    words = _words()
    locale, lang, slug = words["locale"], _e(entry.language), entry.slug
    parts = ["\n"]
    if entry.links:
        parts += ['  <section class="entry-section" lang="', locale, '" aria-labelledby="links-title">\n'
                  '    <h2 id="links-title">', words["links"], '</h2>\n    <ul class="links">\n',
                  *[f'      <li><a href="{_e(link.url)}" rel="noopener noreferrer nofollow" lang="{lang}">'
                    f"{_e(link.title)}</a></li>\n" for link in entry.links], "    </ul>\n  </section>\n"]
    parts += ['\n<section class="entry-section cite" lang="', locale, '" aria-labelledby="cite-title">\n'
              '  <h2 id="cite-title">', words["cite"], "</h2>\n  <p>", words["copy"],
              '</p>\n  <p class="citation" id="citation">', _e(citation_text(entry)), "</p>\n</section>"
              '<p class="history-link" lang="', locale, '"><a href="', _e(url_for("history.versions", slug=slug)),
              '">', words["history"], "</a>"]
    if entry.updated_at:
        parts += [" · ", str(words["updated"] % {"date": long_date(entry.updated_at.date())})]
    parts.append('</p><div class="reader-actions">\n')
    follow = current_app.jinja_env.globals["follow_link"]()
    if follow:
        parts += ['<p class="feed-link follow-link"><a href="', _e(follow), '">', words["follow"], "</a></p>"]
    parts += ['  <p class="feed-link report-link"><a href="', _e(url_for("reports.report", slug=slug)), '">',
              words["report"], "</a></p>\n</div></article>\n\n"]
    if similar:
        names = words["labels"].TYPE_LABELS
        parts += ['<section class="entry-section similar" aria-labelledby="similar-title">\n  <h2 id="similar-title">',
                  words["similar"], '</h2>\n  <ul class="link-list">\n',
                  *[f'    <li><a href="{_e(url_for("public.entry", slug=other.slug))}" lang="{_e(other.language)}">'
                    f'{_e(other.title)}</a> <span class="count">({_e(names.get(other.type, ""))})</span></li>\n'
                    for other in similar], "  </ul>\n</section>\n"]
    return Markup("".join(parts))


GLOBALS = {"entry_meta_html": entry_meta, "entry_top_html": entry_top, "entry_laws_html": entry_laws,
           "entry_related_html": entry_related, "entry_end_html": entry_end}
