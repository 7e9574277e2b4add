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

from flask import current_app
from markupsafe import Markup

from ..citation import OG_LOCALES
from ..language_links import url_with_next
from ..slug_links import linker
from ..templating import finlex_url
from .entry_words import citation, day, e as _e, ngettext, words as _words

def _versions(related) -> list:
    return [link for link in related or () if link.kind == "translation_of"]


def entry_meta(entry, related) -> Markup:
    """The page's <head> block: description, canonical and language versions, Open Graph and article metadata."""
    words, href = _words(), linker()
    labels = words["labels"]
    summary, address = _e(entry.summary), _e(href("public.entry", "slug", entry.slug, True))
    parts = ['<meta name="description" content="', summary, '">\n  <link rel="canonical" href="', address, '">\n']
    for link in _versions(related):
        parts += ['  <link rel="alternate" hreflang="', _e(link.entry.language), '" href="',
                  _e(href("public.entry", "slug", link.entry.slug, True)), '">\n']
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
    words, href = _words(), linker()
    labels, locale, lang, slug = words["labels"], words["locale"], _e(entry.language), entry.slug
    kind = entry.type
    parts = ['<article class="entry" lang="', lang,
             '">\n  <header class="entry-header">\n    <p class="kicker"><a href="',
             _e(href("public.entries", "type", kind)), '" lang="', locale, '"><span class="badge badge-', _e(kind),
             '">',
             _e(labels.TYPE_LABELS.get(kind, "")), '</span></a></p>\n    <h1>', _e(entry.title),
             '</h1>\n    <p class="lead">', _e(entry.summary), '</p>\n']
    helpers = current_app.jinja_env.globals  # the views' helpers, as the template called them (no import cycle)
    if helpers["may_edit_entry"](entry):
        parts += ['<p class="edit-entry" lang="', locale, '"><a href="', _e(href("submit.edit", "slug", slug)), '">',
                  words["edit"], "</a>"]
        if entry.state == "published":
            parts += [' <span class="help">', words["edit_help"], "</span>"]
        parts.append("</p>\n")
    versions = _versions(related)
    if versions:
        endonyms = labels.LANGUAGE_ENDONYMS
        parts += ['    <p class="other-versions" lang="', locale, '">', words["versions"], "\n", ", ".join([
            f'<a href="{_e(href("public.entry", "slug", link.entry.slug))}" hreflang="{_e(link.entry.language)}" '
            f'lang="{_e(link.entry.language)}">{_e(endonyms.get(link.entry.language, ""))}: {_e(link.entry.title)}</a>'
            for link in versions]), "</p>\n"]
    parts += ['  </header>\n\n  <div class="entry-layout">\n    <div class="entry-body">\n      ',
              str(Markup(entry.body_html)), '\n      <div lang="', locale, '">']
    if kind == "norm" and (entry.proposal_action or entry.proposal_justification):
        parts += _proposal(entry, words, lang)
    parts += ['</div>\n    </div>\n\n    <aside class="entry-facts" lang="', locale,
              '" aria-labelledby="facts-title">\n      <h2 id="facts-title" class="visually-hidden">', words["details"],
              '</h2>\n      <dl class="facts">\n']
    parts += _facts(entry, words, lang, helpers["programme_of"](entry), href)
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


def _time(value, locale: str) -> str:
    return f'<time datetime="{_e(value.isoformat())}">{_e(day(value, locale))}</time>'


def _facts(entry, words: dict, lang: str, programme, href) -> list[str]:
    """The facts list of the entry's aside, and the end of the aside."""
    labels, locale, parts = words["labels"], words["locale"], []
    if entry.published_on:
        parts += ["        <dt>", words["published"], "</dt>\n        <dd>", _time(entry.published_on, locale),
                  "</dd>\n"]
    if entry.period_start:
        parts += ["        <dt>", words["period"], "</dt>\n        <dd>", _time(entry.period_start, locale), " – "]
        if entry.period_end:
            parts.append(_time(entry.period_end, locale))
        parts.append("</dd>\n")
    status = entry.trial_status
    if status:
        parts += ["        <dt>", words["trial_status"], '</dt>\n        <dd><a href="',
                  _e(href("public.entries", "trial_status", status)), '">',
                  _e(labels.TRIAL_STATUS_LABELS.get(status, "")), "</a></dd>\n"]
    if programme:
        parts += ["<dt>", words["programme"], '</dt>\n<dd><a href="',
                  _e(href("programmes.programme", "slug", programme.slug)), '" lang="', _e(programme.language), '">',
                  _e(programme.title), "</a></dd>\n"]
    if entry.origin:
        parts += ["        <dt>", words["origin"], '</dt>\n        <dd lang="', lang, '">', _e(entry.origin), "</dd>\n"]
    places = entry.municipalities
    if places:
        swedish = words["locale"] == "sv"
        parts += ["        <dt>", _e(ngettext("Municipality", "Municipalities", len(places), words)),
                  '</dt>\n        <dd><ul class="inline-list">',
                  *[f'<li><a href="{_e(href("public.municipality", "code", m.code))}">'
                    f'{_e(m.name_sv if swedish else m.name_fi)}</a></li>' for m in places], "</ul></dd>\n"]
    themes = entry.theme_slugs
    if themes:
        names = labels.THEME_LABELS
        parts += ["        <dt>", _e(ngettext("Theme", "Themes", len(themes), words)),
                  '</dt>\n        <dd><ul class="inline-list">',
                  *[f'<li><a href="{_e(href("public.theme", "slug", slug))}">{_e(names.get(slug, ""))}</a></li>'
                    for slug in themes], "</ul></dd>\n"]
    if entry.tags:
        parts += ["        <dt>", words["keywords"], '</dt>\n        <dd><ul class="inline-list tags" lang="', lang,
                  '">',
                  *[f"<li>{_e(tag)}</li>" for tag in entry.tags], "</ul></dd>\n"]
    parts += ["        <dt>", words["entry_language"], "</dt>\n        <dd>",
              _e(labels.LANGUAGE_LABELS.get(entry.language, "")), "</dd>\n        <dt>", words["permanent"],
              '</dt>\n        <dd><a href="', _e(href("public.entry", "slug", entry.slug)), '" class="permalink">',
              _e(href("public.entry", "slug", entry.slug, True)),
              "</a></dd>\n      </dl>\n    </aside>\n  </div>\n\n"]
    return parts


def entry_laws(entry) -> Markup:
    """The laws and regulations the entry names, with their Finlex links (the blank lines around them too)."""
    if not entry.laws:
        return Markup("\n\n")
    words = _words()
    lang = _e(entry.language)
    parts = ['\n  <section class="entry-section" lang="', words["locale"],
             '" aria-labelledby="laws-title">\n    <h2 id="laws-title">', words["laws"],
             '</h2>\n    <ul class="laws">\n']
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
    words, href = _words(), linker()
    labels = words["labels"]
    parts = ['\n  <section class="entry-section" lang="', words["locale"],
             '" aria-labelledby="related-title">\n    <h2 id="related-title">', words["linked"],
             '</h2>\n    <ul class="link-list relations">\n']
    for link in others:
        other = link.entry
        parts += ["      <li>", _e(labels.RELATION_LABELS.get((link.kind, link.direction), "")), ': <a href="',
                  _e(href("public.entry", "slug", other.slug)), '" lang="', _e(other.language), '">', _e(other.title),
                  '</a> <span class="count">(', _e(labels.TYPE_LABELS.get(other.type, "")), ")</span></li>\n"]
    parts.append("    </ul>\n  </section>\n\n")
    return Markup("".join(parts))


def entry_end(entry, similar) -> Markup:
    """From the entry's links to the end of the page: links, citation, history, reader actions, similar entries."""
    words, href = _words(), linker()
    locale, lang, slug = words["locale"], _e(entry.language), entry.slug
    address = href("public.entry", "slug", slug, True)
    parts = ["\n"]
    if entry.links:
        parts += ['  <section class="entry-section" lang="', locale, '" aria-labelledby="links-title">\n'
                  '    <h2 id="links-title">', words["links"], '</h2>\n    <ul class="links">\n',
                  *[f'      <li><a href="{_e(link.url)}" rel="noopener noreferrer nofollow" lang="{lang}">'
                    f"{_e(link.title)}</a></li>\n" for link in entry.links], "    </ul>\n  </section>\n"]
    parts += ['\n<section class="entry-section cite" lang="', locale, '" aria-labelledby="cite-title">\n'
              '  <h2 id="cite-title">', words["cite"], "</h2>\n  <p>", words["copy"],
              '</p>\n  <p class="citation" id="citation">', _e(citation(entry, words, address)), "</p>\n</section>"
              '<p class="history-link" lang="', locale, '"><a href="', _e(href("history.versions", "slug", slug)),
              '">', words["history"], "</a>"]
    if entry.updated_at:
        parts += [" · ", str(words["updated"] % {"date": day(entry.updated_at.date(), locale)})]
    parts.append('</p><div class="reader-actions">\n')
    follow = current_app.jinja_env.globals["follow_link"]()
    if follow:
        parts += ['<p class="feed-link follow-link"><a href="', _e(follow), '">', words["follow"], "</a></p>"]
    parts += ['  <p class="feed-link report-link"><a href="', _e(href("reports.report", "slug", slug)), '">',
              words["report"], "</a></p>\n</div></article>\n\n"]
    if similar:
        names = words["labels"].TYPE_LABELS
        parts += ['<section class="entry-section similar" aria-labelledby="similar-title">\n  <h2 id="similar-title">',
                  words["similar"], '</h2>\n  <ul class="link-list">\n',
                  *[f'    <li><a href="{_e(href("public.entry", "slug", other.slug))}" lang="{_e(other.language)}">'
                    f'{_e(other.title)}</a> <span class="count">({_e(names.get(other.type, ""))})</span></li>\n'
                    for other in similar], "  </ul>\n</section>\n"]
    return Markup("".join(parts))


def entry_url(endpoint: str, slug: str) -> str:
    """url_for(ENDPOINT, slug=SLUG) through slug_links (the adoption partial's feed and adopters' links)."""
    return linker()(endpoint, "slug", slug)


def entry_login_url(slug: str) -> str:
    """url_for('auth.login', next=url_for('public.entry', slug=SLUG)): the adoption partial's log-in
    link, the fixed part from the URL memo and the query encoded as url_for encodes it (url_with_next)."""
    return url_with_next("auth.login", linker()("public.entry", "slug", slug))


GLOBALS = {"entry_meta_html": entry_meta, "entry_top_html": entry_top, "entry_laws_html": entry_laws,
           "entry_related_html": entry_related, "entry_end_html": entry_end, "entry_url": entry_url,
           "entry_login_url": entry_login_url}
