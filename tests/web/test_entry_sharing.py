"""Entry page for sharing and citing: Open Graph metadata, a citation to copy, a print style."""

from datetime import date
from html.parser import HTMLParser
from pathlib import Path

from flask_babel import format_date

from ideapankki import accounts

TITLE = 'Kokeilu <script>alert("x")</script> & \'lainaus\''


class HeadMeta(HTMLParser):
    """Collects <meta property=…> and <link rel=canonical> from a page."""

    def __init__(self, html):
        super().__init__()
        self.properties: dict[str, list[str]] = {}
        self.canonical = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and "property" in attrs:
            self.properties.setdefault(attrs["property"], []).append(attrs["content"])
        if tag == "link" and attrs.get("rel") == "canonical":
            self.canonical = attrs["href"]


def test_entry_page_has_open_graph_metadata_escaped(client, entry_factory):
    entry_factory("vaara", title=TITLE, summary='Tiivistelmä "lainattu" <b>ei</b>.', themes=["tyollisyys"],
                  published=date(2022, 5, 25))
    html = client.get("/entries/vaara").text
    assert "<script>alert" not in html
    meta = HeadMeta(html.split("</head>")[0])
    assert meta.properties["og:title"] == [TITLE]
    assert meta.properties["og:description"] == ['Tiivistelmä "lainattu" <b>ei</b>.']
    assert meta.properties["og:type"] == ["article"]
    assert meta.properties["og:url"] == ["http://localhost/entries/vaara"] == [meta.canonical]
    assert meta.properties["og:site_name"] == ["Ideapankki"]
    assert meta.properties["og:locale"] == ["fi_FI"]
    assert sorted(meta.properties["og:locale:alternate"]) == ["en_GB", "sv_FI"]
    assert meta.properties["article:published_time"] == ["2022-05-25"]
    assert meta.properties["article:tag"] == ["Työllisyys"]


def test_swedish_entry_has_a_swedish_og_locale(client, entry_factory):
    entry_factory("borga", title="Försök i Borgå", language="sv")
    meta = HeadMeta(client.get("/entries/borga?lang=en").text.split("</head>")[0])
    assert meta.properties["og:locale"] == ["sv_FI"]


def citation(html):
    return html.split('<p class="citation" id="citation">')[1].split("</p>")[0]


def test_citation_in_finnish_and_english(client, app, entry_factory):
    entry_factory("kainuu", title="Kainuun kokeilu", municipalities=["Kajaani", "Porvoo"], published=date(2022, 5, 25))
    with app.test_request_context("/?lang=en"):
        today_en = format_date(date.today(), "d MMM yyyy")
    today_fi = f"{date.today().day}.{date.today().month}.{date.today().year}"
    fi = client.get("/entries/kainuu").text
    assert '<h2 id="cite-title">Viittaa tähän merkintään</h2>' in fi
    assert citation(fi) == ("Kainuun kokeilu. Kajaani, Porvoo. Ideapankki, julkaistu 25.5.2022. "
                            f"http://localhost/entries/kainuu (viitattu {today_fi}).")
    en = client.get("/entries/kainuu?lang=en").text
    assert '<h2 id="cite-title">Cite this entry</h2>' in en
    assert citation(en) == ("Kainuun kokeilu. Kajaani, Porvoo. Ideapankki, published 25 May 2022. "
                            f"http://localhost/entries/kainuu (accessed {today_en}).")
    sv = client.get("/entries/kainuu?lang=sv").text
    assert citation(sv).startswith("Kainuun kokeilu. Kajana, Borgå. Ideapankki, publicerad 25.5.2022.")


def test_citation_names_the_organisation_without_municipalities_and_escapes(client, app_session, entry_factory):
    organisation = accounts.find_or_create_organisation(app_session, "Kuntaliitto <ry>")
    entry = entry_factory("vaara", title=TITLE, published=date(2022, 5, 25))
    entry.organisation_id = organisation.id
    app_session.commit()
    text = citation(client.get("/entries/vaara").text)
    assert text.startswith("Kokeilu &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#39;lainaus&#39;. "
                           "Kuntaliitto &lt;ry&gt;. Ideapankki, julkaistu 25.5.2022.")
    entry_factory("nobody", title="Kenenkään", published=date(2022, 5, 25))
    assert citation(client.get("/entries/nobody").text).startswith("Kenenkään. Ideapankki, julkaistu 25.5.2022.")


def test_print_style_hides_navigation_and_shows_link_addresses(app):
    css = (Path(app.static_folder) / "site.css").read_text(encoding="utf-8")
    assert "@media print" in css
    print_rules = css.rsplit("@media print", 1)[1]
    for selector in (".main-nav", ".languages", ".account-nav", "form", ".site-footer a", ".facets", ".pagination"):
        assert selector in print_rules.split("display: none")[0], selector
    assert 'content: " (" attr(href) ")"' in print_rules
