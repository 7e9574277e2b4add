"""Every rendered Markdown body goes through the sanitiser: known XSS vectors must not survive."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from ideapankki.markdown import ALLOWED_TAGS, MAX_SCAN, MarkdownError, render

XSS_VECTORS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](java\tscript:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](javascript:alert(1))",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '<img src="x" onerror="alert(1)">',
    '<a href="https://ok.example" onclick="alert(1)">x</a>',
    '<div onmouseover="alert(1)">hover</div>',
    '<svg onload="alert(1)"></svg>',
    '<iframe src="https://evil.example"></iframe>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<form action="https://evil.example"><input name="p"></form>',
    '<style>body{background:url(javascript:alert(1))}</style>',
    '<p style="background:url(javascript:alert(1))">x</p>',
    "[x](https://ok.example){: onclick=alert(1)}",
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    "[a]: javascript:alert(1)\n\n[link][a]",
    "<object data=\"javascript:alert(1)\"></object>",
    '<base href="https://evil.example/">',
    "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example\">",
    "```\n<script>alert(1)</script>\n```",
]
class TagCollector(HTMLParser):
    """Collect every tag and attribute of an HTML fragment as a browser would see them."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def elements(html: str) -> list[tuple[str, dict]]:
    collector = TagCollector()
    collector.feed(html)
    return collector.tags


@pytest.mark.parametrize("vector", XSS_VECTORS)
def test_xss_vector_does_not_survive(vector):
    html = render(f"Teksti ennen.\n\n{vector}\n\nTeksti jälkeen.")
    for tag, attrs in elements(html):
        assert tag in ALLOWED_TAGS, f"tag <{tag}> survived in {html!r}"
        for name, value in attrs.items():
            assert not name.startswith("on") and name != "style", f"{name}= survived in {html!r}"
            if name in ("href", "src"):
                scheme = urlsplit(value or "").scheme.lower()
                assert scheme in ("http", "https", "mailto", "tel") or value.startswith("#"), f"{value!r} survived"
    assert "teksti jälkeen" in html.lower()


def test_code_block_keeps_script_as_visible_text():
    html = render("```\n<script>alert(1)</script>\n```")
    assert "&lt;script&gt;" in html


def test_safe_links_keep_href_and_get_rel():
    html = render("[Finlex](https://www.finlex.fi/) ja [posti](mailto:kirjaamo@kunta.fi)")
    assert 'href="https://www.finlex.fi/"' in html
    assert 'href="mailto:kirjaamo@kunta.fi"' in html
    assert html.count('rel="noopener noreferrer nofollow"') == 2


def test_relative_links_are_dropped_but_in_page_anchors_kept():
    html = render("## Tausta\n\n[sisäinen](/admin) [ankkuri](#md-tausta)")
    assert 'href="/admin"' not in html
    assert 'href="#md-tausta"' in html
    assert '<h2 id="md-tausta">' in html


def test_tables_fenced_code_and_lists_render():
    html = render("| a | b |\n|---|---|\n| 1 | 2 |\n\n```\nkoodi\n```\n\n1. yksi\n2. kaksi\n")
    assert "<table>" in html and "<td>1</td>" in html
    assert "<pre><code>koodi" in html
    assert "<ol>" in html and "<li>kaksi</li>" in html


def test_attr_list_syntax_is_not_interpreted():
    html = render("## Otsikko {: #evil .x onclick=alert(1) }")
    (tag, attrs), = elements(html)
    assert tag == "h2" and set(attrs) == {"id"}


def test_heading_ids_cannot_clobber_page_ids():
    html = render('<h2 id="main">x</h2>\n\n## main')
    assert 'id="main"' not in html


# Hostile bodies that made Python-Markdown's scans quadratic: they must come out as the literal text.
# (No timing here: bench/markdown.py measures the time.)
@pytest.mark.parametrize("unit, count", [("[", 5000), ("![", 3000), ("[x", 3000), ("[a](", 2000), ("[]((x)", 1000)])
def test_unclosed_brackets_stay_text(unit, count):
    assert render(unit * count) == f"<p>{unit * count}</p>"


def test_nested_brackets_stay_text():
    assert render("[" * 3000 + "]" * 3000) == "<p>" + "[" * 3000 + "]" * 3000 + "</p>"


@pytest.mark.parametrize("unit", ["<a", "<http://"])
def test_unclosed_start_tags_stay_text(unit):
    assert render(unit * 3000) == "<p>" + unit.replace("<", "&lt;") * 3000 + "</p>"


def test_links_after_unclosed_brackets_still_work():
    html = render("[" * 500 + " [ok](https://ok.example/) ja ![kuva](https://ok.example/k.png)")
    assert html.startswith("<p>" + "[" * 500 + ' <a href="https://ok.example/"')


def test_link_text_or_destination_past_the_scan_limit_is_not_a_link():
    long_text = "[" + "x" * MAX_SCAN + "](https://ok.example/)"
    long_url = "[x](https://ok.example/" + "y" * MAX_SCAN + ")"
    assert "<a" not in render(long_text) and "<a" not in render(long_url)
    assert "<a" in render("[" + "x" * (MAX_SCAN - 100) + "](https://ok.example/)")


def test_past_the_scan_budget_brackets_stay_text():
    """A body made of unclosed brackets spends the render's scan budget: later links stay text, nothing is lost."""
    text = "[" * 60_000 + "\n\n[ok](https://ok.example/)"
    assert render(text) == "<p>" + "[" * 60_000 + "</p>\n<p>[ok](https://ok.example/)</p>"


def test_code_spans_match_backtick_runs_of_equal_length():
    assert render("`a` ``b`c`` ```d`` e") == "<p><code>a</code> <code>b`c</code> <code>`d</code> e</p>"
    growing = "".join("`" * i + "a" for i in range(1, 60))
    assert render(growing) == f"<p>{growing}</p>"


def test_a_reused_converter_forgets_the_last_text():
    """render() keeps one converter per thread: a text's link references and heading ids do not
    carry over to the next text, and a text that failed leaves nothing behind either."""
    first = render("## Tausta\n\n[lähde][1]\n\n[1]: https://example.org/")
    assert 'href="https://example.org/"' in first
    second = render("## Tausta\n\n[lähde][1]")
    assert "href" not in second and "[lähde][1]" in second
    assert second.count('id="md-tausta"') == 1 == first.count('id="md-tausta"')
    with pytest.raises(MarkdownError):
        render("> " * 40 + "syvä")
    assert render("## Tausta") == render("## Tausta")
