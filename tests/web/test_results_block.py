"""The search page's results block built in Python (web/views/results_block.py) is what the page's
template gave, byte for byte: the template's block, with the partials it imported
(tests/old_listing_partials.py), is kept here as the reference."""

import pytest
from flask import render_template_string
from old_listing_partials import OLD_PARTIALS

from ideapankki.web.index import SEARCH_KEY
from ideapankki.web.views.search import search_request

from factories import make_entry

OLD_RESULTS = OLD_PARTIALS + """{% from "partials/macros.html" import pagination with context %}
{% from "partials/feeds.html" import feed_link with context %}
<div class="listing">
  {{ facet_sidebar(result, filters) }}
  <section class="results" aria-labelledby="results-title">
    <h2 id="results-title" aria-live="polite">{% if result.query %}{{ ngettext("%(num)s result for “%(query)s”", "%(num)s results for “%(query)s”", result.total, query=result.suggestion if result.corrected else result.query) }}{% else %}{{ ngettext("%(num)s entry", "%(num)s entries", result.total) }}{% endif %}</h2>
{{ facets_jump() }}    {{ active_filters(filters) }}
    {% if result.entries %}
    {{ search_cards(result) }}
    {{ pagination(result) }}
    {% else %}
    {% include "search/_nothing_found.html" %}
    {% endif %}
    <p class="feed-hint">{{ _("The same results as data:") }} <a href="{{ url_for('api.search', **request.args) }}">JSON</a></p>
    {{ feed_link(_("Follow this search as a feed (Atom)")) }}
  </section>
</div>"""

NEW_RESULTS = """{% if result.entries %}{{ search_block(result, filters) }}{% else %}
{% set nothing_found %}{% include "search/_nothing_found.html" %}{% endset %}
{{ search_block(result, filters, nothing_found) }}{% endif %}"""

URLS = ["/search?q=perusopetus", "/search?q=perusopetus&type=norm", "/search?q=perusopetus&per_page=1&page=2",
        "/search?q=xqzzqv", "/search?q=perusopetus&municipality=290&sort=newest", "/search",
        "/search?q=perusopetus&theme=koulutus&region=FI1D8", "/search?q=%3Cb%3E+%26+perusopetus",
        "/search?q=perusopetuksesa", "/search?type=practice&respell=0"]


@pytest.fixture(scope="module")
def shared(module_app, module_session):
    for n in range(3):
        make_entry(module_session, f"perus{n}", type=("norm", "idea", "practice")[n],
                   title=f"Joustavat ryhmäkoot perusopetuksessa {n} & <b>", summary="Pienet \"kunnat\".",
                   body="Perusopetuksen ryhmäkoot joustaviksi pienissä kunnissa.", themes=["koulutus"],
                   municipalities=["Kuhmo"] if n else ["Kuhmo", "Sotkamo"])
    make_entry(module_session, "tyo", type="practice", title="Omavalmentaja", summary="Työnhakijan tuki.",
               body="Omavalmentaja kulkee työnhakijan rinnalla.", themes=["tyollisyys"])
    module_app.extensions[SEARCH_KEY].catch_up()
    return module_app


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
@pytest.mark.parametrize("url", URLS)
def test_the_search_results_block_is_what_the_template_gave(shared, url, lang):
    with shared.test_request_context(f"{url}{'&' if '?' in url else '?'}lang={lang}"):
        shared.preprocess_request()
        args, result = search_request()
        from ideapankki.web.views.public import facet_municipalities, region_names
        names = dict(result=result, filters=args.filters, themes=["koulutus"] if not result.total else [],
                     municipalities=facet_municipalities(), regions=region_names())
        old = render_template_string(OLD_RESULTS, **names)
        new = render_template_string(NEW_RESULTS, **names)
    assert new == old
    assert '<div class="listing">' in new and ("Joustavat" in new or "Omavalmentaja" in new or "xqzzqv" in url)


def _old_matching_themes(text):
    """views.search.matching_themes as it was: every label in every language, per search."""
    import re

    from flask_babel import force_locale

    from ideapankki.search.schema import LANGUAGES
    from ideapankki.search.spelling import fold
    from ideapankki.web.labels import THEME_LABELS

    typed = {fold(word)[:5] for word in re.findall(r"\w+", text.lower()) if len(word) >= 4}
    found = []
    for slug, label in THEME_LABELS.items():
        names = {slug}
        for language in LANGUAGES:
            with force_locale(language):
                names.update(re.findall(r"\w+", str(label).lower()))
        if typed & {fold(name)[:5] for name in names if len(name) >= 4}:
            found.append(slug)
    return found


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_themes_named_by_the_words_are_those_the_per_search_loop_found(module_app, lang):
    from ideapankki.web.views.search import matching_themes

    texts = ["asumisesta", "koulutuksellisuuxx", "Boende och  miljö", "EMPLOYMENT youth digital", "sote ja nuoret",
             "hallinto", "tyollisyys-kokeilu", "åäö", "", "maahanmuuttajien kotoutuminen", "elinvoimaa"]
    with module_app.test_request_context(f"/search?lang={lang}"):
        module_app.preprocess_request()
        for text in texts:
            assert matching_themes(text) == _old_matching_themes(text), text
        assert matching_themes("asumisesta") == ["asuminen"]


@pytest.mark.parametrize("url", ["/search?q=a%27b&theme=x%27y&lang=sv", "/search?q=a&type=idea&page=2",
                                 "/themes/asuminen?q=a", "/search"])
def test_a_facets_links_are_its_values_links_escaped(module_app, url):
    """The sidebar escapes the page's query once per facet and each value once per process: the
    same text as escaping each whole link (a value with an apostrophe, quoted as url_for leaves it)."""
    from markupsafe import escape

    from ideapankki.web.templating import urls_with
    from ideapankki.web.views.facets import _hrefs

    counts = [("x'y", 3), ("a b&c", 2), ("FI1D8", 1)]
    with module_app.test_request_context(url):
        for chosen in ([False, False, False], [True, False, False]):
            for name in ("theme", "type", "slug"):
                values = [None if on else value for (value, _n), on in zip(counts, chosen)]
                assert _hrefs(name, counts, chosen) == [str(escape(href)) for href in urls_with(name, values)]
