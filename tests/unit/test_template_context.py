"""A context made from flattened globals (web/template_context.py) holds what Jinja's own held: the same
names in the same order, the template's globals over the environment's, and renders the same."""

from collections import ChainMap

from jinja2 import DictLoader, Environment, Template

from ideapankki.web.template_context import FlatGlobalsTemplate, flat_globals


class Flat(Environment):
    template_class = FlatGlobalsTemplate


def _environments():
    made = []
    for kind in (Environment, Flat):
        page = "{{ a }} {{ b }} {{ c }} {{ d }}|{% for k in names %}{{ k }}{% endfor %}"
        environment = kind(loader=DictLoader({"page": page}))
        environment.globals.update(a="env-a", b="env-b", c="env-c")
        made.append(environment)
    return made


def test_the_context_holds_what_jinjas_held():
    plain, flat = _environments()
    old = plain.get_template("page", globals={"b": "own-b", "d": "own-d"})
    new = flat.get_template("page", globals={"b": "own-b", "d": "own-d"})
    assert isinstance(new, FlatGlobalsTemplate) and not isinstance(old, FlatGlobalsTemplate)
    for shared in (False, True):
        vars_ = {"c": "var-c", "names": ["x", "y"]}
        old_context, new_context = old.new_context(dict(vars_), shared), new.new_context(dict(vars_), shared)
        assert list(new_context.get_all().items()) == list(old_context.get_all().items())
        assert new_context.globals_keys == old_context.globals_keys
    assert new.render(c="var-c", names="ab") == old.render(c="var-c", names="ab") == "env-a own-b var-c own-d|ab"


def test_globals_of_another_kind_are_left_to_jinja():
    assert flat_globals(ChainMap({"a": 1}, {"a": 2, "b": 3})) == {"a": 1, "b": 3}
    assert list(flat_globals(ChainMap({"z": 1}, {"a": 2, "z": 3}))) == list(dict(ChainMap({"z": 1}, {"a": 2, "z": 3})))
    odd = ChainMap({"a": 1}, ChainMap({"b": 2}))
    assert flat_globals(odd) is odd
    plain = {"a": 1}
    assert flat_globals(plain) is plain
    assert issubclass(FlatGlobalsTemplate, Template)
