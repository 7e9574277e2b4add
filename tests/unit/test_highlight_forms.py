"""forms.py: a document's tokens grouped by analysed form, and looking the query's terms up in them."""

from ideapankki.search.analysis import analyzers
from ideapankki.search.forms import add_forms, matching, tokens_by_form
from ideapankki.search.highlight import highlight


def test_tokens_are_grouped_by_their_forms_and_found_by_any_term():
    analyze = analyzers("snowball")["en"]
    forms = tokens_by_form(["Schools and schooling", "The school's 12 § rules"], analyze)
    assert forms.startswith("\x1e") and forms.endswith("\x1e")
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
