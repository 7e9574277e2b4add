"""In the tests, a route's URL builder is compiled when a URL is first built from it, not when the app is made.

Werkzeug compiles two Python functions per route (ast, then compile()) as each app registers its
routes: about 800 for this site, most of the cost of create_app (0.06-0.25 s here). The site makes
one app per process; the tests make one per test that has a database of its own, and such a test
builds URLs from a few dozen routes. Here the same compilation runs, with the same rule, on the
first build instead (werkzeug's own function, unchanged), so every URL is built as before.
"""

from __future__ import annotations

from werkzeug.routing.rules import Rule

_EAGER = Rule._compile_builder


def _lazy_builder(self: Rule, append_unknown: bool = True):
    compiled = None

    def build(rule: Rule, *args, **kwargs):
        nonlocal compiled
        if compiled is None:  # two threads may both compile it: the same function either way
            compiled = _EAGER(rule, append_unknown).__get__(rule, None)
        return compiled(*args, **kwargs)

    return build


def install() -> None:
    Rule._compile_builder = _lazy_builder
