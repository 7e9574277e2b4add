"""Templates compiled once per language, with their fixed translations written into the compiled code.

A page called `_("…")` some 30–40 times per render and `current_locale()` a dozen times, each
through Jinja's Context.call (which inspects the callable for pass_context and friends), a
catalogue lookup and a Markup: about a tenth of an entry page's CPU. The text of `_("a literal")`
depends only on the language and the catalogue, neither of which changes while the process runs,
so each template is compiled once per language with those texts as constants; Jinja then merges
them with the template's own text into the strings its compiled code yields.

How: LocaleEnvironment names a template after the language it is rendered in ("fi:public/
entry.html"); what the template includes, imports or extends keeps its parent's language
(join_path). Jinja's template cache and the process's compiled-code cache (template_cache.py) are
keyed by that name, so they keep one compiled template per language. When such a template is parsed
in its own language, `_("literal")` and `gettext("literal")` become the literal's translation,
as web/page_gettext.py's `_` returns it (`% {}` applied; Markup where the template autoescapes),
`_("… %(n)s", n=x)` becomes that translation `% {"n": x}`, and `current_locale()` the language's
code. A call of `url_for(…)` becomes the same call of the app's url_for as a filter, which Jinja
calls directly (a page has some 40; Context.call's inspection cost as much as the memoised URL).
The same goes for the site's own helpers in FOLDED_CALLS (plain functions registered as template
globals, which no context processor or view passes under that name): `name(…)` becomes a direct call
of the global through a filter, not Context.call's inspection at every call (some twenty a page).
LocaleLoader drops the language from the name before reading the file, so the templates on
disk, pybabel's extraction and the output do not change. A name the template assigns itself (`{%
set _ = … %}`, a macro's argument) is never folded in that template; without a language (no Babel
context) a template keeps its plain name and is compiled as before, its calls made at render time.
"""

from __future__ import annotations

import hashlib
from inspect import isfunction
from pathlib import Path

from flask import Flask
from flask.templating import Environment
from flask_babel import get_translations
from jinja2 import BaseLoader, nodes, pass_context
from jinja2.utils import _PassArg
from jinja2.visitor import NodeTransformer

from .i18n import language
from .template_context import FlatGlobalsTemplate

SEPARATOR = ":"
TRANSLATED = frozenset(("_", "gettext"))
LOCALE = "current_locale"
URL_FOR = "url_for"
URL_FOR_FILTER = "ideapankki:url_for"  # no template can name it: not an identifier
URL_FOR_EXTERNAL = "ideapankki:url_for_external"  # the same, never called while compiling
CALL_FILTER = "ideapankki:call:"  # + a helper's name: the helper itself, its first argument the filtered value
CALL0_FILTER = "ideapankki:call0:"  # + a helper's name: the helper called without the (None) filtered value
# Template globals called directly (see the module). Not the names a context processor sets
# (municipality_name and region_name are the language's, csrf_token…): tests/unit/test_template_locale.py.
FOLDED_CALLS = frozenset((
    "url_in_language", "here_without_language", "get_flashed_messages", "entry_feed_link", "may_edit_entry",
    "programme_of", "details_of", "finlex_url", "adoption_panel", "shown_contacts",
    "follow_link", "field_label", "field_texts", "field_value", "may_confirm_evidence", "url_with",
    "page_numbers", "entry_href", "card_date", "evidence_label", "moderator_waiting", "open_reports_count",
    "own_following", "page_feed", "latest_comment_for", "entry_meta_html", "entry_top_html", "entry_laws_html",
    "entry_related_html", "entry_end_html", "alternate_links", "language_switch", "login_href", "entry_url",
    "entry_login_url",
))
RUNTIME_IMPORTS = "from jinja2.runtime import "  # the first line of Jinja's generated code
FAST_ESCAPE = "; from ideapankki.web.template_escape import escape"
CACHE_SIZE = 1200  # templates × (the languages + the plain name); Jinja's default of 400 is too few


def split_name(name: str, languages) -> tuple[str | None, str]:
    """("fi", "public/entry.html") for "fi:public/entry.html"; (None, NAME) for a plain name."""
    language, separator, plain = name.partition(SEPARATOR)
    if separator and language in languages:
        return language, plain
    return None, name


class LocaleEnvironment(Environment):
    """Flask's environment, with each template loaded and compiled per language (see the module), and
    its contexts made from flattened globals (template_context.py)."""

    template_class = FlatGlobalsTemplate

    def __init__(self, app, **options) -> None:
        options.setdefault("cache_size", CACHE_SIZE)
        super().__init__(app, **options)
        self.catalogue_key = None  # what the compiled texts depend on besides the language (init_app)

    def _languages(self):
        return self.app.config["LANGUAGES"]

    def _named(self, name):
        """NAME in the current request's (or forced) language, if there is one."""
        if not isinstance(name, str) or split_name(name, self._languages())[0] is not None:
            return name
        current = language()
        return f"{current}{SEPARATOR}{name}" if current in self._languages() else name

    def get_template(self, name, parent=None, globals=None):
        if parent is None:  # else join_path gives it its parent's language
            name = self._named(name)
        return super().get_template(name, parent, globals)

    def select_template(self, names, parent=None, globals=None):
        if parent is None and isinstance(names, (list, tuple)):
            names = [self._named(name) for name in names]
        return super().select_template(names, parent, globals)

    def join_path(self, template: str, parent: str) -> str:
        """An include, import or extends keeps its parent's language."""
        language, _plain = split_name(parent, self._languages())
        if language is None or split_name(template, self._languages())[0] is not None:
            return template
        return f"{language}{SEPARATOR}{template}"

    def _generate(self, source, name, filename, defer_init=False):
        """Jinja's code, its escape replaced by template_escape's (the same text, fewer calls)."""
        code = super()._generate(source, name, filename, defer_init)
        if not code.startswith(RUNTIME_IMPORTS):
            return code
        end = code.index("\n")  # on the same line: the debug info maps template lines to the code's
        return code[:end] + FAST_ESCAPE + code[end:]

    def _parse(self, source, name, filename):
        tree = super()._parse(source, name, filename)
        named = split_name(name, self._languages())[0] if name else None
        if named is None or language() != named:
            return tree  # compiled for another language than this context's catalogue: no folding
        return Folder(self, named, get_translations().ugettext, _assigned(tree)).visit(tree)


class Folder(NodeTransformer):
    """Replaces the translation calls with literals and current_locale() with the language."""

    def __init__(self, environment, language: str, translate, assigned: set[str]):
        self.environment, self.language, self.translate = environment, language, translate
        self.calls = {name for name in FOLDED_CALLS if CALL_FILTER + name in environment.filters} - assigned
        self.names = ((TRANSLATED | {LOCALE, URL_FOR}) - assigned) | self.calls

    def visit_Call(self, node: nodes.Call) -> nodes.Node:
        self.generic_visit(node)
        callee = node.node
        if (not isinstance(callee, nodes.Name) or callee.name not in self.names or node.dyn_args is not None
                or node.dyn_kwargs is not None):
            return node
        if callee.name == LOCALE:
            return self._new(nodes.Const(self.language), node) if not node.args and not node.kwargs else node
        if callee.name in self.calls:
            if node.args:
                call = nodes.Filter(node.args[0], CALL_FILTER + callee.name, node.args[1:], node.kwargs, None, None)
            else:
                call = nodes.Filter(nodes.Const(None), CALL0_FILTER + callee.name, [], node.kwargs, None, None)
            return self._new(call, node)
        if callee.name == URL_FOR:
            if not node.args or URL_FOR_FILTER not in self.environment.filters:
                return node
            # An absolute URL is never worked out while compiling (the compiled code is kept for the
            # process, the public URL is read per request): a filter Jinja does not fold for it.
            name = URL_FOR_EXTERNAL if any(keyword.key == "_external" for keyword in node.kwargs) else URL_FOR_FILTER
            return self._new(nodes.Filter(node.args[0], name, node.args[1:], node.kwargs, None, None), node)
        if len(node.args) != 1 or not isinstance(node.args[0], nodes.Const) or not isinstance(node.args[0].value, str):
            return node
        text = self.translate(node.args[0].value)
        if not node.kwargs:
            try:
                text = text % {}  # what the runtime `_` does to a text without variables ("%%" → "%")
            except (KeyError, TypeError, ValueError):
                return node  # it raises at render time, as before
            return self._new(nodes.MarkSafeIfAutoescape(nodes.Const(text)), node)
        variables = nodes.Dict([nodes.Pair(nodes.Const(keyword.key), keyword.value) for keyword in node.kwargs])
        return self._new(nodes.Mod(nodes.MarkSafeIfAutoescape(nodes.Const(text)), variables), node)

    def _new(self, replacement: nodes.Node, old: nodes.Node) -> nodes.Node:
        replacement.set_lineno(old.lineno)
        replacement.set_environment(self.environment)
        return replacement


def _assigned(tree: nodes.Template) -> set[str]:
    """Every name the template binds itself (set, for, with, macro and call arguments, imports)."""
    names = {name.name for name in tree.find_all(nodes.Name) if name.ctx != "load"}
    names.update(node.name for node in tree.find_all(nodes.Macro))
    names.update(node.target for node in tree.find_all(nodes.Import))
    for node in tree.find_all(nodes.FromImport):
        names.update(name[1] if isinstance(name, tuple) else name for name in node.names)
    return names


class LocaleLoader(BaseLoader):
    """LOADER's templates under their per-language names (the language dropped before reading)."""

    def __init__(self, loader: BaseLoader, languages):
        self.loader, self.languages = loader, languages

    def get_source(self, environment, template: str):
        return self.loader.get_source(environment, split_name(template, self.languages)[1])

    def list_templates(self):
        return self.loader.list_templates()


def catalogue_key(app: Flask) -> str:
    """The catalogues' folders, domain and files (size, time), for the compiled-code cache's key:
    another app of the process with other catalogues must not get these texts."""
    digest = hashlib.sha256()
    for folder in str(app.config.get("BABEL_TRANSLATION_DIRECTORIES", "translations")).split(";"):
        digest.update(folder.encode() + b"\0" + str(app.config.get("BABEL_DOMAIN", "messages")).encode())
        root = Path(app.root_path, folder)
        for path in sorted(root.rglob("*.mo")) if root.is_dir() else ():
            stat = path.stat()
            digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


def init_app(app: Flask) -> None:
    """After template_inline.init_app; APP's environment must be a LocaleEnvironment (create_app)."""
    environment = app.jinja_env
    if not isinstance(environment, LocaleEnvironment):
        return
    environment.loader = LocaleLoader(environment.loader, app.config["LANGUAGES"])
    environment.filters[URL_FOR_FILTER] = app.url_for  # what the templates' url_for global is
    environment.filters[URL_FOR_EXTERNAL] = _calls(app.url_for)[0]
    for name in FOLDED_CALLS:
        function = environment.globals.get(name)
        if isfunction(function) and _PassArg.from_obj(function) is None:
            environment.filters[CALL_FILTER + name], environment.filters[CALL0_FILTER + name] = _calls(function)
    environment.catalogue_key = catalogue_key(app)


def _calls(function) -> tuple:
    """FUNCTION as two filters: of its first argument, and of a value it ignores (a call without
    positional arguments). Marked pass_context so that Jinja never calls them while compiling (its
    constant folding would write the answer of one request's here_without_language() into the code);
    the context they are given is dropped."""
    @pass_context
    def call(_context, value, *args, **kwargs):
        return function(value, *args, **kwargs)

    @pass_context
    def call0(_context, _none, *args, **kwargs):
        return function(*args, **kwargs)
    return call, call0
