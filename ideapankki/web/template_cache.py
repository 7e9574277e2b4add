"""Templates compile once per process, not once per app.

Jinja compiles a template to Python on its first use in each environment, and every Flask app has
its own environment. The site makes one app per process, but the test suite makes thousands (one
per test that needs a database of its own), and compiling the templates a test renders cost more
than the rest of many such tests. This cache keeps the compiled code of each template in memory
for the process: another app with the same settings loads it instead of compiling again.

A compiled template depends on the template's source (a changed file is compiled again: Jinja
checks its checksum) and on the environment's settings: the syntax and whitespace options, the
extensions, how each filter and test is called, and the catalogues whose texts a per-language
template has written into its code (template_locale.py). Those are part of the key, so an app
set up differently never gets another's code.
"""

from __future__ import annotations

import threading

from jinja2 import BytecodeCache
from jinja2.bccache import Bucket
from jinja2.utils import _PassArg

_SYNTAX = ("block_start_string", "block_end_string", "variable_start_string", "variable_end_string",
           "comment_start_string", "comment_end_string", "line_statement_prefix", "line_comment_prefix",
           "trim_blocks", "lstrip_blocks", "newline_sequence", "keep_trailing_newline", "optimized",
           "is_async")


def _calling(functions: dict) -> tuple:
    return tuple(sorted((name, str(_PassArg.from_obj(function))) for name, function in functions.items()))


def environment_key(environment) -> str:
    """What a template's compiled code depends on besides its source."""
    return repr((tuple(getattr(environment, name) for name in _SYNTAX), sorted(environment.extensions),
                 callable(environment.autoescape) or bool(environment.autoescape),
                 _calling(environment.filters), _calling(environment.tests),
                 getattr(environment, "catalogue_key", None)))


class ProcessTemplateCache(BytecodeCache):
    """Compiled templates in memory, shared by every environment of the process with the same settings."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def get_bucket(self, environment, name, filename, source) -> Bucket:
        key = f"{self.get_cache_key(name, filename)}:{environment_key(environment)}"
        bucket = Bucket(environment, key, self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)  # a checksum that differs (the file changed) leaves it empty

    def dump_bytecode(self, bucket: Bucket) -> None:
        code = bucket.bytecode_to_string()
        with self._lock:
            self._code[bucket.key] = code


PROCESS_CACHE = ProcessTemplateCache()
