"""A listing page's results block and head feed link built in Python (web/views/listing_block.py,
facets.sidebar) are what the macros they replaced gave, byte for byte: the macro (the former
partials/listing.html, with the partials it imported: tests/old_listing_partials.py) is kept
here as the reference."""

import pytest
from flask import render_template_string
from old_listing_partials import OLD_PARTIALS

from ideapankki import browse
from ideapankki.web import params
from ideapankki.web.database import reads
from ideapankki.web.views.public import listing_table

OLD_LISTING = OLD_PARTIALS + """{% from "partials/macros.html" import entry_list, pagination with context %}
{% from "partials/feeds.html" import feed_link, feed_head with context %}
{% macro listing(result, filters, fixed=()) %}
<div class="listing">
  {{ facet_sidebar(result, filters, fixed) }}
  <section class="results" aria-labelledby="results-title">
    <h2 id="results-title">{{ ngettext("%(num)s entry", "%(num)s entries", result.total) }}</h2>
{{ facets_jump() }}    {{ active_filters(filters, fixed) }}
    {% if result.entries %}
      {{ entry_list(result.entries) }}
      {{ pagination(result) }}
    {% else %}
      <p class="empty">{{ _("No published entries match these filters.") }}</p>
    {% endif %}
    {{ feed_link() }}
  </section>
</div>
{% endmacro %}
[{{ feed_head() }}]{{ listing(result, filters, fixed) }}"""

URLS = [("/entries", {}), ("/entries?page=2", {}), ("/entries?type=idea", {}),
        ("/entries?type=practice&theme=tyollisyys&region=FI1D8", {}), ("/entries?year=2022&evidence=5", {}),
        ("/entries?municipality=205", {}), ("/themes/tyollisyys?type=practice", {"theme": "tyollisyys"}),
        ("/themes/asuminen", {"theme": "asuminen"}), ("/municipalities/205", {"municipality": "205"}),
        ("/municipalities/205?type=idea&page=1", {"municipality": "205"})]


@pytest.fixture(scope="module")
def shared(module_entry_factory):
    for n in range(23):
        module_entry_factory(f"k{n}", title=f"Kokeilu {n} & <b>", type=("practice", "idea", "norm")[n % 3],
                             themes=["tyollisyys"] if n % 2 else ["asuminen"],
                             municipalities=["Kajaani"] if n % 4 else ["Kajaani", "Sotkamo"])


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
@pytest.mark.parametrize("url, fixed", URLS)
def test_the_results_block_is_what_the_macro_gave(shared, module_app, url, fixed, lang):
    with module_app.test_request_context(f"{url}{'&' if '?' in url else '?'}lang={lang}"):
        module_app.preprocess_request()
        found = listing_table()
        filters = params.filters(None, fixed=fixed, table=found)
        page = params.integer("page", 1, 1, params.MAX_PAGE)
        result = browse.list_cards(reads(), filters, page, 20, found)
        names = dict(filters=filters, result=result, fixed=tuple(fixed), municipalities=found.register,
                     regions=found.regions)
        old = render_template_string(OLD_LISTING, **names)
        new = render_template_string("[{{ feed_head_html() }}]{{ listing_block(result, filters, fixed) }}", **names)
    assert new == old
    assert ("Kokeilu" in new and "&lt;b&gt;" in new) or '<p class="empty">' in new  # evidence=5: none
