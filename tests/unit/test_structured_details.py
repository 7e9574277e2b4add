"""The structured description the templates read (views/practice.Details): an absent part is None by
key and by attribute, a present one is the value; special names stay absent; it equals its dict."""

from jinja2 import Environment
from markupsafe import escape

from ideapankki.web.views.practice import Details


def test_an_absent_part_reads_as_none_and_renders_as_jinjas_undefined_did():
    details = Details({"goals": "Tavoite", "resources": {"euros": 5}})
    assert details["goals"] == details.goals == "Tavoite" and details.resources == {"euros": 5}
    assert details["results"] is None and details.results is None and "results" not in details
    assert details == {"goals": "Tavoite", "resources": {"euros": 5}}
    assert not hasattr(details, "__html__") and str(escape(details)).startswith("{")
    source = ("{% if d.results %}R{% endif %}{{ 'G' if d['goals'] }}{% if d.evaluation and 'x' in d.evaluation %}E"
              "{% endif %}{{ (d.evidence_level or d.evidence_proposed) == 'a' }}")
    template = Environment(autoescape=True).from_string(source)
    assert template.render(d=Details({"goals": 1})) == template.render(d={"goals": 1}) == "GFalse"
