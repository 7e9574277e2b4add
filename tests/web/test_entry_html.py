"""The entry page's markup built in Python (web/views/entry_html.py) is the markup the template gave,
byte for byte, escaping included: the template as it was (its small partials inlined as
template_inline.py inlines them) is kept here as the reference, rendered with the view's own context."""

import weakref
from datetime import date, datetime

import pytest
from flask import current_app, render_template, url_for
from sqlmodel import select

from clients import PASSWORD, sign_in
from factories import CONTENT_DIR
from ideapankki import accounts
from ideapankki.migrate import seed_if_empty
from ideapankki.models import Entry, Role
from ideapankki.structured import shown_contacts
from ideapankki.web.citation import OG_LOCALES, responsible
from ideapankki.web.database import ENGINE_KEY
from ideapankki.web.page_gettext import gettext as _
from ideapankki.web.templating import long_date
from ideapankki.web.views import public

pytestmark = pytest.mark.sqlite_only("the markup is the same on both databases")

HOSTILE = "<script>alert('x')</script> & \"quoted\" Å ä"

REFERENCE = """{% extends "base.html" %}
{% block title %}{{ entry.title }}{% endblock %}
{% block meta %}<meta name="description" content="{{ entry.summary }}">
  <link rel="canonical" href="{{ url_for('public.entry', slug=entry.slug, _external=True) }}">
{% set versions = (related or [])|selectattr('kind', 'equalto', 'translation_of')|list %}
{% for link in versions %}
  <link rel="alternate" hreflang="{{ link.entry.language }}" href="{{ url_for('public.entry', slug=link.entry.slug, _external=True) }}">
{% endfor %}
{% with %}
{# Open Graph and article metadata of an entry page, for link previews and citation managers. #}
  <meta property="og:type" content="article">
  <meta property="og:site_name" content="{{ _('Ideapankki') }}">
  <meta property="og:title" content="{{ entry.title }}">
  <meta property="og:description" content="{{ entry.summary }}">
  <meta property="og:url" content="{{ url_for('public.entry', slug=entry.slug, _external=True) }}">
  <meta property="og:locale" content="{{ og_locale(entry.language) }}">
  {% for code, locale in og_locales.items() if code != entry.language %}
  <meta property="og:locale:alternate" content="{{ locale }}">
  {% endfor %}
  {% if entry.published_on %}
  <meta property="article:published_time" content="{{ entry.published_on.isoformat() }}">
  {% endif %}
  {% for slug in entry.theme_slugs %}
  <meta property="article:tag" content="{{ labels.THEME_LABELS[slug] }}">
  {% endfor %}{% endwith %}{% endblock %}
{% block feeds %}{% set feed = entry_feed_link(entry) %}<link rel="alternate" type="application/atom+xml" title="{{ feed.title }}" href="{{ feed.url }}">{% endblock %}
{% block content %}
<article class="entry" lang="{{ entry.language }}">
  <header class="entry-header">
    <p class="kicker"><a href="{{ url_for('public.entries', type=entry.type) }}" lang="{{ current_locale() }}"><span class="badge badge-{{ entry.type }}">{{ labels.TYPE_LABELS[entry.type] }}</span></a></p>
    <h1>{{ entry.title }}</h1>
    <p class="lead">{{ entry.summary }}</p>
    {% with %}
{% if may_edit_entry(entry) %}
<p class="edit-entry" lang="{{ current_locale() }}"><a href="{{ url_for('submit.edit', slug=entry.slug) }}">{{ _("Edit this entry") }}</a>{% if entry.state == 'published' %} <span class="help">{{ _("A moderator reviews your changes; until then the published text stays as it is.") }}</span>{% endif %}</p>
{% endif %}{% endwith %}
    {% set versions = (related or [])|selectattr('kind', 'equalto', 'translation_of')|list %}
    {% if versions %}
    <p class="other-versions" lang="{{ current_locale() }}">{{ _("This entry in other languages:") }}
      {% for link in versions %}<a href="{{ url_for('public.entry', slug=link.entry.slug) }}" hreflang="{{ link.entry.language }}" lang="{{ link.entry.language }}">{{ labels.LANGUAGE_ENDONYMS[link.entry.language] }}: {{ link.entry.title }}</a>{% if not loop.last %}, {% endif %}{% endfor %}</p>
    {% endif %}
  </header>

  <div class="entry-layout">
    <div class="entry-body">
      {{ entry.body_html|safe_html }}
      <div lang="{{ current_locale() }}">{% with %}
{% if entry.type == 'norm' and (entry.proposal_action or entry.proposal_justification) %}
<dl class="facts proposal">
  {% if entry.proposal_action %}<dt>{{ _("Proposed action") }}</dt><dd>{{ labels.NORM_ACTION_LABELS[entry.proposal_action] }}</dd>{% endif %}
  {% if entry.proposal_justification %}<dt>{{ _("Why?") }}</dt><dd lang="{{ entry.language }}">{{ entry.proposal_justification }}</dd>{% endif %}
  {% if entry.proposal_savings %}<dt>{{ _("Expected savings") }}</dt><dd lang="{{ entry.language }}">{{ entry.proposal_savings }}</dd>{% endif %}
  {% if entry.proposal_time %}<dt>{{ _("Time saved") }}</dt><dd lang="{{ entry.language }}">{{ entry.proposal_time }}</dd>{% endif %}
  {% if entry.proposal_people %}<dt>{{ _("People affected") }}</dt><dd lang="{{ entry.language }}">{{ entry.proposal_people }}</dd>{% endif %}
  {% if entry.proposal_proposer_role %}<dt>{{ _("Proposed by") }}</dt><dd>{{ labels.PROPOSER_ROLE_LABELS[entry.proposal_proposer_role] }}</dd>{% endif %}
</dl>
{% endif %}{% endwith %}</div>
    </div>

    <aside class="entry-facts" lang="{{ current_locale() }}" aria-labelledby="facts-title">
      <h2 id="facts-title" class="visually-hidden">{{ _("Details") }}</h2>
      <dl class="facts">
        {% if entry.published_on %}
        <dt>{{ _("Published") }}</dt>
        <dd><time datetime="{{ entry.published_on.isoformat() }}">{{ entry.published_on|date }}</time></dd>
        {% endif %}
        {% if entry.period_start %}
        <dt>{{ _("Period") }}</dt>
        <dd><time datetime="{{ entry.period_start.isoformat() }}">{{ entry.period_start|date }}</time> – {% if entry.period_end %}<time datetime="{{ entry.period_end.isoformat() }}">{{ entry.period_end|date }}</time>{% endif %}</dd>
        {% endif %}
        {% if entry.trial_status %}
        <dt>{{ _("Trial status") }}</dt>
        <dd><a href="{{ url_for('public.entries', trial_status=entry.trial_status) }}">{{ labels.TRIAL_STATUS_LABELS[entry.trial_status] }}</a></dd>
        {% endif %}
        {% with %}
{# In an entry page's facts: the trial programme a practice belongs to (ideapankki.web.views.programmes). #}
{% set programme = programme_of(entry) %}
{% if programme %}
<dt>{{ _("Trial programme") }}</dt>
<dd><a href="{{ url_for('programmes.programme', slug=programme.slug) }}" lang="{{ programme.language }}">{{ programme.title }}</a></dd>
{% endif %}{% endwith %}
        {% if entry.origin %}
        <dt>{{ _("Origin") }}</dt>
        <dd lang="{{ entry.language }}">{{ entry.origin }}</dd>
        {% endif %}
        {% if entry.municipalities %}
        <dt>{{ ngettext("Municipality", "Municipalities", entry.municipalities|length) }}</dt>
        <dd><ul class="inline-list">{% for m in entry.municipalities %}<li><a href="{{ url_for('public.municipality', code=m.code) }}">{{ municipality_name(m) }}</a></li>{% endfor %}</ul></dd>
        {% endif %}
        {% if entry.theme_slugs %}
        <dt>{{ ngettext("Theme", "Themes", entry.theme_slugs|length) }}</dt>
        <dd><ul class="inline-list">{% for slug in entry.theme_slugs %}<li><a href="{{ url_for('public.theme', slug=slug) }}">{{ labels.THEME_LABELS[slug] }}</a></li>{% endfor %}</ul></dd>
        {% endif %}
        {% if entry.tags %}
        <dt>{{ _("Keywords") }}</dt>
        <dd><ul class="inline-list tags" lang="{{ entry.language }}">{% for tag in entry.tags %}<li>{{ tag }}</li>{% endfor %}</ul></dd>
        {% endif %}
        <dt>{{ _("Language of the entry") }}</dt>
        <dd>{{ labels.LANGUAGE_LABELS[entry.language] }}</dd>
        <dt>{{ _("Permanent address") }}</dt>
        <dd><a href="{{ url_for('public.entry', slug=entry.slug) }}" class="permalink">{{ url_for('public.entry', slug=entry.slug, _external=True) }}</a></dd>
      </dl>
    </aside>
  </div>

  {% with subject=entry %}{% include "public/_structured.html" %}{% endwith %}

  {% if entry.laws %}
  <section class="entry-section" lang="{{ current_locale() }}" aria-labelledby="laws-title">
    <h2 id="laws-title">{{ _("Laws and regulations") }}</h2>
    <ul class="laws">
    {% for law in entry.laws %}
      <li><span lang="{{ entry.language }}">{{ law.title }}</span>{% if law.number %} ({{ law.number }}){% endif %}{% if law.section %}, <span lang="{{ entry.language }}">{{ law.section }}</span>{% endif %}
        {% set finlex = finlex_url(law.number) %}
        {% if finlex %} – <a href="{{ finlex }}" rel="noopener noreferrer">{{ _("the law on Finlex") }}<span class="visually-hidden"> ({{ law.number }})</span></a>{% endif %}</li>
    {% endfor %}
    </ul>
  </section>
  {% endif %}

  {% include "public/_norm_status.html" %}
  {% with subject=entry %}{% include "public/_norm_response.html" %}{% endwith %}
  {% include "public/_adoptions.html" %}

  {% set others = (related or [])|rejectattr('kind', 'equalto', 'translation_of')|list %}
  {% if others %}
  <section class="entry-section" lang="{{ current_locale() }}" aria-labelledby="related-title">
    <h2 id="related-title">{{ _("Linked entries") }}</h2>
    <ul class="link-list relations">
    {% for link in others %}
      <li>{{ labels.RELATION_LABELS[(link.kind, link.direction)] }}: <a href="{{ url_for('public.entry', slug=link.entry.slug) }}" lang="{{ link.entry.language }}">{{ link.entry.title }}</a> <span class="count">({{ labels.TYPE_LABELS[link.entry.type] }})</span></li>
    {% endfor %}
    </ul>
  </section>
  {% endif %}

  {% include "public/_contacts.html" %}

  {% if entry.links %}
  <section class="entry-section" lang="{{ current_locale() }}" aria-labelledby="links-title">
    <h2 id="links-title">{{ _("Links") }}</h2>
    <ul class="links">
    {% for link in entry.links %}
      <li><a href="{{ link.url }}" rel="noopener noreferrer nofollow" lang="{{ entry.language }}">{{ link.title }}</a></li>
    {% endfor %}
    </ul>
  </section>
  {% endif %}

  {% with %}
{# "Cite this entry": a reference to copy, in the reader's language. #}
<section class="entry-section cite" lang="{{ current_locale() }}" aria-labelledby="cite-title">
  <h2 id="cite-title">{{ _("Cite this entry") }}</h2>
  <p>{{ _("Copy this reference to cite the entry:") }}</p>
  <p class="citation" id="citation">{{ citation_text(entry) }}</p>
</section>{% endwith %}
  {% with %}
<p class="history-link" lang="{{ current_locale() }}"><a href="{{ url_for('history.versions', slug=entry.slug) }}">{{ _("Version history") }}</a>{% if entry.updated_at %} · {{ _("Updated %(date)s", date=entry.updated_at.date()|date) }}{% endif %}</p>{% endwith %}
  {% with %}
{# What a reader can do with a published entry without an account: follow it by e-mail, report an error. #}
<div class="reader-actions">
  {% include "follow/_link.html" %}
  <p class="feed-link report-link"><a href="{{ url_for('reports.report', slug=entry.slug) }}">{{ _("Report an error") }}</a></p>
</div>{% endwith %}
</article>

{% if similar %}
<section class="entry-section similar" aria-labelledby="similar-title">
  <h2 id="similar-title">{{ _("Similar entries") }}</h2>
  <ul class="link-list">
  {% for other in similar %}
    <li><a href="{{ url_for('public.entry', slug=other.slug) }}" lang="{{ other.language }}">{{ other.title }}</a> <span class="count">({{ labels.TYPE_LABELS[other.type] }})</span></li>
  {% endfor %}
  </ul>
</section>
{% endif %}
{% endblock %}
"""


def citation_text(entry: Entry, accessed: date | None = None) -> str:
    """The citation as the template had it written (views/entry_words.citation writes it now)."""
    values = {
        "title": entry.title.rstrip("."), "who": responsible(entry), "published": long_date(entry.published_on),
        "url": url_for("public.entry", slug=entry.slug, _external=True),
        "accessed": long_date(accessed or date.today()),
    }
    if values["who"]:
        text = _("%(title)s. %(who)s. Ideapankki, published %(published)s. %(url)s (accessed %(accessed)s).",
                 **values)
    else:
        text = _("%(title)s. Ideapankki, published %(published)s. %(url)s (accessed %(accessed)s).", **values)
    people = ["; ".join(", ".join(filter(None, (c.name, c.role, c.organisation, c.email, c.phone)))
                        for c in shown_contacts(entry.contacts))]
    return text + " " + _("Contact: %(people)s.", people=people[0]) if people[0] else text


# The reference's helpers that no template calls any more.
HELPERS = {"citation_text": citation_text, "og_locales": OG_LOCALES,
           "og_locale": lambda language: OG_LOCALES.get(language, "fi_FI")}


@pytest.fixture(scope="module")
def seeded(module_app):
    """module_app with the seed content: entries with laws, links, relations, versions, norms, programmes."""
    seed_if_empty(module_app.extensions[ENGINE_KEY], CONTENT_DIR)
    return module_app


_COMPILED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _reference():
    """REFERENCE compiled once per app's Jinja environment: render_template_string compiled it again
    for every page (most of this file's time); render_template renders a compiled one the same way."""
    env = current_app.jinja_env
    if env not in _COMPILED:
        _COMPILED[env] = env.from_string(REFERENCE)
    return _COMPILED[env]


@pytest.fixture
def compared(monkeypatch):
    """Every entry page rendered by the view is also rendered from REFERENCE with the same context;
    the pairs are collected (the view answers with the new markup). CHANGE(context) may alter the
    entry before both are rendered."""
    pairs, changes = [], []
    render = public.render_template

    def both(name, **context):
        for change in changes:
            change(context)
        new = render(name, **context)
        pairs.append((render_template(_reference(), **HELPERS, **context), new))
        return new
    monkeypatch.setattr(public, "render_template", both)
    return pairs, changes


def _slugs(app) -> list[str]:
    from sqlmodel import Session
    with Session(app.extensions[ENGINE_KEY]) as session:
        return list(session.exec(select(Entry.slug).where(Entry.state == "published").order_by(Entry.id)))


def _hostile(context) -> None:
    entry = context["entry"]
    entry.title = entry.summary = entry.origin = HOSTILE
    entry.published_on, entry.period_start, entry.period_end = date(2024, 2, 29), date(2021, 3, 1), date(2023, 6, 30)
    if entry.type == "norm":
        entry.proposal_action, entry.proposal_proposer_role = "loosen", "elected"
        entry.proposal_justification = entry.proposal_savings = entry.proposal_time = HOSTILE
        entry.proposal_people = HOSTILE
    entry.updated_at = datetime(2025, 12, 31, 23, 59)


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
@pytest.mark.parametrize("hostile", [False, True], ids=["seed", "hostile"])
def test_every_seed_entry_page_is_what_the_template_gave(seeded, compared, lang, hostile):
    pairs, changes = compared
    if hostile:
        changes.append(_hostile)
    client = seeded.test_client()
    slugs = _slugs(seeded)
    for slug in slugs:
        assert client.get(f"/entries/{slug}?lang={lang}").status_code == 200
    assert len(pairs) == len(slugs) > 10
    for old, new in pairs:
        assert new == old
    pages = "".join(new for _old, new in pairs)
    for part in ("laws-title", "related-title", "links-title", "other-versions", "similar-title", "<dt>"):
        assert part in pages
    if hostile:
        assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &#34;quoted&#34;" in pages
        assert '<dl class="facts proposal">' in pages


def test_the_page_of_its_author_and_of_a_moderator_is_what_the_template_gave(app, app_session, compared):
    pairs, _changes = compared
    seed_if_empty(app.extensions[ENGINE_KEY], CONTENT_DIR)
    organisation = accounts.find_or_create_organisation(app_session, "Kajaani")
    author = accounts.add_user(app_session, email="maija@kajaani.fi", role=Role.member, password=PASSWORD,
                               organisation=organisation)
    accounts.add_user(app_session, email="moderator@example.fi", role=Role.moderator, password=PASSWORD)
    published = list(app_session.exec(select(Entry).where(Entry.state == "published").order_by(Entry.id)))
    for entry in published[::2]:
        entry.author_id = author.id  # her own entries: the edit link
    app_session.commit()
    for email in ("maija@kajaani.fi", "moderator@example.fi"):
        client = sign_in(app.test_client(), email)
        for index, entry in enumerate(published):
            assert client.get(f"/entries/{entry.slug}?lang={('fi', 'sv', 'en')[index % 3]}").status_code == 200
    assert len(pairs) == 2 * len(published) > 20
    for old, new in pairs:
        assert new == old
    pages = "".join(new for _old, new in pairs)
    assert 'class="edit-entry"' in pages and "norm-status-title" in pages and "adoption-form" in pages
