"""The process-wide cache of compiled templates (ideapankki.web.template_cache)."""

from jinja2 import DictLoader, Environment

from ideapankki.web.template_cache import ProcessTemplateCache

SOURCE = "{% if true %}\n  x\n{% endif %}\n"


def environment(cache, templates, **options):
    return Environment(loader=DictLoader(templates), bytecode_cache=cache, **options)


def test_a_second_environment_loads_the_compiled_code():
    cache = ProcessTemplateCache()
    assert environment(cache, {"t.html": SOURCE}).get_template("t.html").render() == "\n  x\n"
    compiled = dict(cache._code)
    assert len(compiled) == 1
    assert environment(cache, {"t.html": SOURCE}).get_template("t.html").render() == "\n  x\n"
    assert cache._code == compiled


def test_other_settings_and_a_changed_source_are_compiled_again():
    cache = ProcessTemplateCache()
    assert environment(cache, {"t.html": SOURCE}).get_template("t.html").render() == "\n  x\n"
    trimmed = environment(cache, {"t.html": SOURCE}, trim_blocks=True, lstrip_blocks=True)
    assert trimmed.get_template("t.html").render() == "  x\n" and len(cache._code) == 2
    assert environment(cache, {"t.html": "{{ 1 + 1 }}"}).get_template("t.html").render() == "2"


def test_a_filter_called_differently_is_part_of_the_key():
    from jinja2 import pass_context

    cache = ProcessTemplateCache()
    plain = environment(cache, {"t.html": "{{ 'a' | f }}"})
    plain.filters["f"] = lambda value: value.upper()
    assert plain.get_template("t.html").render() == "A"
    with_context = environment(cache, {"t.html": "{{ 'a' | f }}"})
    with_context.filters["f"] = pass_context(lambda context, value: value + "!")
    assert with_context.get_template("t.html").render() == "a!"
