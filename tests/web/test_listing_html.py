"""The listing markup built in Python (web/views/listing_html.py) is the markup the Jinja macros
it replaced gave, byte for byte, escaping included: the macros are kept here as the reference."""

from datetime import date
from types import SimpleNamespace

import pytest
from flask import render_template_string
from old_listing_partials import OLD_PARTIALS

from ideapankki.listing import Card, Place
from ideapankki.search.query import Hit
from ideapankki.search.filters import Facet, Filters
from ideapankki.web.views import facets

HOSTILE = "<script>alert('x')</script> & \"quoted\" Å ä"

OLD_CARDS = """{% macro entry_card(entry, heading_level=3) %}
<article class="card">
  <p class="card-meta"><span class="badge badge-{{ entry.type }}">{{ labels.TYPE_LABELS[entry.type] }}</span>
  {% if entry.period_start %}<span><time datetime="{{ entry.period_start.isoformat() }}">{{ card_date(entry.period_start, current_locale()) }}</time> – {% if entry.period_end %}<time datetime="{{ entry.period_end.isoformat() }}">{{ card_date(entry.period_end, current_locale()) }}</time>{% endif %}</span>{% elif entry.published_on %}<time datetime="{{ entry.published_on.isoformat() }}">{{ card_date(entry.published_on, current_locale()) }}</time>{% endif %}
  {% if entry.language != current_locale() %}<span class="lang-note">({{ labels.LANGUAGE_LABELS[entry.language] }})</span>{% endif %}</p>
  <h{{ heading_level }} class="card-title"><a href="{{ entry_href(entry.slug) }}" lang="{{ entry.language }}">{{ entry.title }}</a></h{{ heading_level }}>
  <p class="card-summary" lang="{{ entry.language }}">{{ entry.summary }}</p>
  {% if entry.municipalities %}
  <p class="card-places">{% for m in entry.municipalities[:6] %}{{ municipality_name(m) }}{% if not loop.last %}, {% endif %}{% endfor %}{% if entry.municipalities|length > 6 %} {{ _("and %(count)s more", count=entry.municipalities|length - 6) }}{% endif %}</p>
  {% endif %}
</article>
{% endmacro %}
{% macro entry_list(entries) %}
<ul class="cards">
{% for entry in entries %}
  <li>{{ entry_card(entry) }}</li>
{% endfor %}
</ul>
{% endmacro %}
"""

def _cards() -> list[Card]:
    places = tuple(Place(f"{i:03}", f"Kunta{i} {HOSTILE}", f"Kommun{i} &") for i in range(9))
    return [
        Card(1, "a-slug", "idea", HOSTILE, HOSTILE, "fi", date(2024, 5, 1), municipalities=places[:2]),
        Card(2, "b-slug", "practice", "Plain", "Summary", "sv", None, municipalities=places),
        Card(3, "c-slug", "norm", "T & T", "S < S", "en", date(2015, 1, 9)),
        Card(4, "d-slug", "norm", "Six", "places", "fi", date(2020, 12, 31), municipalities=places[:6]),
        Card(5, "e-slug", "practice", "Seven", "places", "sv", date(2020, 2, 29), municipalities=places[:7]),
        Card(8, "p-slug", "practice", "Trial", "period", "fi", date(2026, 11, 23), date(2021, 3, 1), date(2023, 6, 30)),
        Card(9, "q-slug", "practice", "Open", "period", "sv", None, date(2015, 1, 1)),
    ]


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_cards_are_what_the_macros_gave(module_app, lang):
    with module_app.test_request_context(f"/entries?lang={lang}"):
        module_app.preprocess_request()
        old = render_template_string(OLD_CARDS + "{{ entry_list(entries) }}|{{ entry_card(entries[0], 2) }}",
                                     entries=_cards())
        new = render_template_string('{% from "partials/macros.html" import entry_list, entry_card with context %}'
                                     "{{ entry_list(entries) }}|{{ entry_card(entries[0], 2) }}", entries=_cards())
    assert new == old
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &#34;quoted&#34;" in new


def _facets() -> dict[str, Facet]:
    """Every facet, with values to name and escape: labelled, hostile, unknown, past the fifteen shown."""
    return {"type": Facet("type", [("idea", 12), ("practice", 3), ("norm", 1)]),
            "theme": Facet("theme", [("tyollisyys", 4), ("no-such-theme", 2)]),
            "region": Facet("region", [("FI1D8", 5), ("FI999", 1)]),
            "municipality": Facet("municipality", [(f"{i:03}", 40 - i) for i in range(20)]),
            "year": Facet("year", [(2024, 7), (2019, 2)]),
            "trial_status": Facet("trial_status", []),
            "norm_status": Facet("norm_status", [("law_changed", 1)]),
            "evidence": Facet("evidence", [(3, 2), (5, 1)])}


SIDEBAR_CASES = [(Filters(), ()), (Filters(type="practice", municipality="003"), ()),
                 (Filters(theme="tyollisyys", year=2024, evidence=3), ("theme",)),
                 (Filters(region="FI1D8", norm_status="law_changed"), ("region", "municipality"))]


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
@pytest.mark.parametrize("filters, fixed", SIDEBAR_CASES)
def test_the_facet_sidebar_is_what_the_macro_gave(module_app, lang, filters, fixed):
    """facets.sidebar, which every listing and the search page write, against the sidebar macro's
    own loop (tests/old_listing_partials.py)."""
    places = {f"{i:03}": Place(f"{i:03}", f"Kunta{i} {HOSTILE}", f"Kommun{i} &") for i in range(18)}
    names = dict(result=SimpleNamespace(facets=_facets()), filters=filters, fixed=fixed, municipalities=places,
                 regions={"FI1D8": ("Kainuu <&>", "Kajanaland \"")}, sidebar=facets.sidebar)
    with module_app.test_request_context(f"/entries?q=a%26b&page=2&lang={lang}"):
        module_app.preprocess_request()
        old = render_template_string(OLD_PARTIALS + "{{ facet_sidebar(result, filters, fixed) }}", **names)
        new = render_template_string("{{ sidebar(result.facets, filters, fixed) }}", **names)
    assert new == old
    assert "Kunta1 &lt;script&gt;" in new or "Kommun1 &amp;" in new or "region" in fixed


OLD_SEARCH_CARDS = """    <ol class="cards search-results" start="{{ (result.page - 1) * result.per_page + 1 }}">
    {% for entry in result.entries %}
      {% set hit = result.hits[entry.id] %}
      <li>
        <article class="card">
          <p class="card-meta"><span class="badge badge-{{ entry.type }}">{{ labels.TYPE_LABELS[entry.type] }}</span>
          {% if entry.period_start %}<span><time datetime="{{ entry.period_start.isoformat() }}">{{ card_date(entry.period_start, current_locale()) }}</time> – {% if entry.period_end %}<time datetime="{{ entry.period_end.isoformat() }}">{{ card_date(entry.period_end, current_locale()) }}</time>{% endif %}</span>{% elif entry.published_on %}<time datetime="{{ entry.published_on.isoformat() }}">{{ card_date(entry.published_on, current_locale()) }}</time>{% endif %}
          {% if entry.language != current_locale() %}<span class="lang-note">({{ labels.LANGUAGE_LABELS[entry.language] }})</span>{% endif %}</p>
          <h3 class="card-title"><a href="{{ entry_href(entry.slug) }}" lang="{{ entry.language }}">{{ entry.title }}</a></h3>
          {% if hit.highlight %}
          <p class="card-summary highlight" lang="{{ entry.language }}">… {{ hit.highlight|safe_html }} …</p>
          {% else %}
          <p class="card-summary" lang="{{ entry.language }}">{{ entry.summary }}</p>
          {% endif %}
        </article>
      </li>
    {% endfor %}
    </ol>
|"""


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_search_cards_are_what_the_template_gave(module_app, lang):
    cards = _cards()
    hits = {card.id: Hit(card.id, card.slug, card.language, 1.0, "") for card in cards}
    hits[1] = Hit(1, "a-slug", "fi", 2.0, "a &amp; <mark>b</mark> &lt;c&gt;")
    result = SimpleNamespace(entries=cards, hits=hits, page=3, per_page=20)
    with module_app.test_request_context(f"/search?q=b&lang={lang}"):
        module_app.preprocess_request()
        old = render_template_string(OLD_SEARCH_CARDS, result=result)
        new = render_template_string("    {{ search_cards(result) }}\n|", result=result)
    assert new == old
    assert '<ol class="cards search-results" start="41">' in new and "… a &amp; <mark>b</mark> &lt;c&gt; …" in new


def test_a_card_gives_the_entrys_own_period_not_the_day_it_was_published(module_app):
    """A trial of 2021–2023 entered in the bank in 2026 must not read as a trial of 2026."""
    trial, ongoing = _cards()[-2:]
    with module_app.test_request_context("/entries?lang=fi"):
        module_app.preprocess_request()
        html = render_template_string('{% from "partials/macros.html" import entry_list with context %}'
                                      "{{ entry_list(entries) }}", entries=[trial, ongoing])
    first, second = html.split("</article>")[:2]
    assert ('<time datetime="2021-03-01">1.3.2021</time> – <time datetime="2023-06-30">30.6.2023</time>'
            in first)
    assert "2026-11-23" not in first
    assert '<time datetime="2015-01-01">1.1.2015</time> – ' in second and second.count("<time") == 1  # no end yet
