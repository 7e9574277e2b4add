"""forms.py: a document's tokens grouped by analysed form, and looking the query's terms up in them."""

from ideapankki.search.analysis import analyzers
from ideapankki.search.forms import PER_BUCKET, add_forms, body_spans, matching, tokens_by_form
from ideapankki.search.highlight import highlight


def test_tokens_are_grouped_by_their_forms_and_found_by_any_term():
    analyze = analyzers("snowball")["en"]
    forms = tokens_by_form(["Schools and schooling", "The school's 12 § rules"], analyze)
    tokens, starts, records = forms
    assert tokens.split("\x1f")[0] == "12 §" and starts[0] == 0 and starts[-1] == len(records)
    assert len(starts) - 1 == max(1, records.count("\x1e") // PER_BUCKET)  # one record a form, in buckets
    assert matching(forms, {"school"}) == {"Schools", "school", "schooling"}
    assert matching(forms, {"school", "rule"}) == {"Schools", "school", "schooling", "rules"}
    assert matching(forms, {"missing", ""}) == set()


def test_a_snippet_is_the_same_from_stored_forms_and_from_the_text():
    docs = [{"language": "en", "title_en": "Rules", "summary_en": "On 12 § rules.",
             "body_en": "Schools keep rules; the rule of 410/2015 and rules_x are older."}]
    add_forms(docs, "snowball")
    doc = docs[0]
    for terms in ({"rule"}, {"school", "410/2015"}, {"12§"}, {"older"}):
        for name in ("title", "summary", "body"):
            text = doc[f"{name}_en"]
            assert highlight(text, terms, "en", "snowball", forms=doc["highlight_forms"]) == highlight(
                text, terms, "en", "snowball")
    assert "<mark>rules</mark>" in highlight(doc["body_en"], {"rule"}, "en", "snowball", forms=doc["highlight_forms"])
    assert highlight(doc["title_en"], {"school"}, "en", "snowball", forms=doc["highlight_forms"]) == ""


def test_where_the_body_s_tokens_are_is_stored_with_them():
    analyze = analyzers("snowball")["en"]
    body = "Schools keep rules; the rule of 410/2015, 12 § and rules_x: rules."
    forms = tokens_by_form(["Rules", body], analyze, body=body)
    assert body_spans(forms, {"rule"}) == [(13, 18), (24, 28), (60, 65)]
    assert body_spans(forms, {"410/2015", "12§", "school"}) == [(0, 7), (32, 40), (42, 46)]
    assert body_spans(forms, {"missing"}) == [] and matching(forms, {"rule"}) == {"Rules", "rules", "rule"}
    assert body_spans(tokens_by_form([], analyze), {"rule"}) == []


def _render_escaping_each_piece(text, start, end, matches):
    """highlight._render as it was: every piece escaped, with or without a character to escape."""
    import html
    from bisect import bisect_left

    out, at = [], start
    for m_start, m_end in matches[bisect_left(matches, (start,)):]:
        if m_end > end:
            break
        out.append(html.escape(text[at:m_start]))
        out.append(f"<mark>{html.escape(text[m_start:m_end])}</mark>")
        at = m_end
    out.append(html.escape(text[at:end]))
    return "".join(out).strip()


def test_a_fragment_is_escaped_as_when_each_piece_was():
    """_render leaves a fragment without &<>"' as it is: the same text as escaping every piece, for
    fragments with and without those characters, inside and outside the marks."""
    import random

    from ideapankki.search.highlight import _render

    rng = random.Random(14)
    for _ in range(3000):
        text = "".join(rng.choice("ab äö\n" * 8 + "&<>\"'") for _ in range(rng.randint(0, 40)))
        cuts = sorted(rng.sample(range(len(text) + 1), min(len(text) + 1, 2 * rng.randint(0, 4))))
        matches = [(cuts[i], cuts[i + 1]) for i in range(0, len(cuts) - 1, 2) if cuts[i] < cuts[i + 1]]
        start = rng.randint(0, len(text))
        end = rng.randint(start, len(text))
        assert _render(text, start, end, matches) == _render_escaping_each_piece(text, start, end, matches)
