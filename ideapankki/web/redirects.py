"""Where `?next=` may send a reader: a path on this site, read as a browser would read it.

The probe of issue #13 got `next=/%09/evil.example` through a prefix check: the tab passed, the
browser dropped it and followed `//evil.example` to another host; `next=/%0a/x` put a newline in
the Location header (a 500). So the target is first cleaned the way the WHATWG URL parser
cleans it (tab, CR and LF removed anywhere; C0 controls and spaces trimmed; a backslash is a
slash), and in its NFKC form too (a fullwidth solidus may become a slash on the way), then
parsed with urllib.parse: only a path with no scheme and no host is kept, rebuilt from its parts.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit, urlunsplit

HOME = "/"
_STRIPPED = re.compile(r"[\t\n\r]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _as_browser_reads(target: str) -> str:
    return _STRIPPED.sub("", target).strip("\x00- ").replace("\\", "/")


def _is_local_path(url: str) -> bool:
    if _CONTROL.search(url):
        return False
    parts = urlsplit(url)
    return (not parts.scheme and not parts.netloc and parts.path.startswith("/")
            and not parts.path.startswith("//"))


def safe_next(target: str | None) -> str:
    """Return TARGET as a path on this site, or the front page when it might lead elsewhere."""
    if not target:
        return HOME
    read = _as_browser_reads(target)
    if not (_is_local_path(read) and _is_local_path(_as_browser_reads(unicodedata.normalize("NFKC", target)))):
        return HOME
    parts = urlsplit(read)
    return urlunsplit(("", "", parts.path, parts.query, parts.fragment))
