"""Partials compiled into the templates that include them, not looked up and entered per render.

Pages are kept in partials (`{% include "…" %}`) so that a change to one part of a shared page
does not touch the others. At render time each include cost a template lookup, a copy of the
page's whole context into a new one and a generator of its own: an entry page has some fifteen,
a measurable part of its rendering. The loader here hands Jinja each template with its plain
includes replaced by the partial's source inside `{% with %}` … `{% endwith %}`, which gives the
partial what an include gives it (everything the page sees at that point) and keeps what the
partial sets to itself, as an include does. The output is the same text: the partial's one
trailing newline, which Jinja drops from a template's source, is dropped here too, and its first
line still starts a line (the newline after `{% with %}` is trimmed, trim_blocks).

Only a plain `{% include "name" %}` is inlined, and only when the partial is escaped as the page
is (both HTML); anything else (a variable name, `ignore missing`, `without context`) is left to
Jinja. A changed partial changes the source of every template that includes it, so they are
compiled again (uptodate and the bytecode cache's checksum follow the partials).
"""

from __future__ import annotations

import re

from jinja2 import BaseLoader, Environment, TemplateNotFound

INCLUDE = re.compile(r'\{% include "([^"]+)" %\}')
DEPTH = 8  # partials within partials, at most


class InliningLoader(BaseLoader):
    """LOADER's templates with their plain includes inlined."""

    def __init__(self, loader: BaseLoader):
        self.loader = loader

    def get_source(self, environment: Environment, template: str):
        return self._source(environment, template, DEPTH)

    def _source(self, environment: Environment, template: str, depth: int):
        source, filename, uptodate = self.loader.get_source(environment, template)
        checks = [uptodate] if uptodate is not None else []
        escaped = _escaped(environment, template)

        def inline(match: re.Match) -> str:
            name = match.group(1)
            if depth <= 0 or name == template or _escaped(environment, name) != escaped:
                return match.group(0)
            try:
                partial, _filename, partial_uptodate = self._source(environment, name, depth - 1)
            except TemplateNotFound:
                return match.group(0)  # Jinja raises it when the page is rendered, as before
            if partial_uptodate is not None:
                checks.append(partial_uptodate)
            if partial.endswith("\n"):
                partial = partial[:-1]
            return "{% with %}\n" + partial + "{% endwith %}"

        source = INCLUDE.sub(inline, source)
        return source, filename, (lambda: all(check() for check in checks)) if checks else None

    def list_templates(self):
        return self.loader.list_templates()


def _escaped(environment: Environment, name: str) -> bool:
    autoescape = environment.autoescape
    return bool(autoescape(name) if callable(autoescape) else autoescape)


def init_app(app) -> None:
    """Give APP's Jinja environment the inlining loader around its own."""
    app.jinja_env.loader = InliningLoader(app.jinja_env.loader)
