"""The YAML loader of content files: safe types only, dates as text, no aliases, bounded nesting."""

from __future__ import annotations

import re

import yaml

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
MAX_YAML_DEPTH = 20  # the format nests three levels (relations: - kind: …); PyYAML recurses per level


class Loader(yaml.SafeLoader):
    """SafeLoader that keeps dates as strings, so a bad date is reported with its key.

    It refuses anchors and aliases (&a, *a), which the format never needs and which make a
    few lines expand into billions of items ("billion laughs"), and nesting deeper than
    MAX_YAML_DEPTH, which would exhaust the Python stack before any check of ours runs.
    """

    _depth = 0

    def construct_scalar(self, node):
        value = super().construct_scalar(node)
        if isinstance(value, str) and _UNSTORABLE.search(value):  # written as "\x00" or "\ud800"
            raise yaml.constructor.ConstructorError(None, None, "a NUL character or a lone UTF-16 surrogate "
                                                    "is not text that can be stored", node.start_mark)
        return value

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise yaml.composer.ComposerError(None, None, "anchors and aliases (& and *) are not allowed",
                                              event.start_mark)
        if self._depth >= MAX_YAML_DEPTH:
            raise yaml.composer.ComposerError(None, None, f"nested deeper than {MAX_YAML_DEPTH} levels",
                                              event.start_mark)
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
