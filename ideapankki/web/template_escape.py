"""The escape that compiled templates call for every `{{ … }}` of an HTML page, in fewer steps.

An entry page escapes some ninety values. markupsafe.escape makes its Markup through Markup's
constructor, which asks the escaped text for `__html__` again: two Python calls and two attribute
checks a value. Here a plain str is escaped by markupsafe's own C function and made Markup directly
(str.__new__, what Markup's constructor does with a str), and a Markup is already what escape
would return an equal copy of; anything else goes to markupsafe.escape. The per-language templates
(template_locale.LocaleEnvironment) import this escape instead of Jinja's; the text is the same.
"""

from __future__ import annotations

from markupsafe import Markup, _escape_inner
from markupsafe import escape as markupsafe_escape

_new = str.__new__


def escape(value) -> Markup:
    """markupsafe.escape(VALUE)."""
    kind = type(value)
    if kind is str:
        return _new(Markup, _escape_inner(value))
    if kind is Markup:
        return value
    return markupsafe_escape(value)
