"""Markdown → safe HTML. The only module that imports markdown or nh3.

Entries are written by outside users, so the Markdown output is never trusted: nh3
(Ammonia) cleans it with an explicit allowlist. Rendering happens once at save time.
"""

from __future__ import annotations

import re
import threading

import markdown as _markdown
import nh3
from markdown import inlinepatterns
from markdown.extensions import Extension
from markdown.extensions.toc import slugify_unicode
from markdown.htmlparser import HTMLExtractor, htmlparser
from markdown.preprocessors import HtmlBlockPreprocessor

HEADING_ID_PREFIX = "md-"

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6",
        "strong", "em", "b", "i", "code", "pre", "blockquote", "del", "sub", "sup",
        "ul", "ol", "li", "dl", "dt", "dd", "a", "abbr",
        "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption",
        "div",
    }
)
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "ol": {"start"},
    "h1": {"id"}, "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"},
    "th": {"scope"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})  # tel: a contact's phone in a feed


def _heading_slug(value: str, separator: str) -> str:
    return HEADING_ID_PREFIX + slugify_unicode(value, separator)


def _keep_only_fragments(url: str) -> str | None:
    """Keep in-page links (the table of contents); drop every other relative URL."""
    return url if url.startswith("#") else None


_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags={"script", "style"},
    attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
    url_schemes=set(URL_SCHEMES),
    url_relative=_keep_only_fragments,
    link_rel="noopener noreferrer nofollow",
    id_prefix=HEADING_ID_PREFIX,
    strip_comments=True,
)

_EXTENSIONS = ["tables", "fenced_code", "sane_lists", "toc"]
_EXTENSION_CONFIG = {"toc": {"slugify": _heading_slug, "permalink": False}}

# Python-Markdown scans from every `[` to its closing `]` (and from `](` to the closing `)`), and
# from every `<` to the end of what could be a start tag: on a run of unclosed brackets that is
# quadratic (5,000 `[` took 10 s). The limits below keep the total work linear in the text's length.
MAX_SCAN = 3000  # characters: a longer link text or link destination is not a link
SCAN_BUDGET_PER_CHAR = 20  # the link scans of one render read at most this many characters per input character…
SCAN_BUDGET_MIN = 1_000_000  # …or this many, whichever is more; then the remaining brackets stay text
MAX_START_TAG = 2048  # characters: a longer raw HTML start tag is not a tag (its `<` stays text)

_BRACKET = re.compile(r"[\[\]]")
_BACKTICKS = re.compile("`+")


class _ScanBudget:
    """Characters the link scans of one render may still read: shared, so no input makes them quadratic."""

    def __init__(self, chars: int):
        self.remaining = chars

    def window(self, data: str, index: int) -> int:
        """End of the part of DATA after INDEX that a scan may read (MAX_SCAN and the budget allowing)."""
        return min(len(data), index + MAX_SCAN, index + max(self.remaining, 0))

    def spend(self, chars: int) -> None:
        self.remaining -= chars


class _BoundedLinkScan:
    """Mixin for the link and image processors: bracket scans bounded by MAX_SCAN and the render's budget.

    Within those bounds the result is the same as Python-Markdown's; beyond them, not a link.
    """

    budget: _ScanBudget

    def getText(self, data: str, index: int) -> tuple[str, int, bool]:
        stop = self.budget.window(data, index)
        if data.find("]", index, stop) < 0:  # the common hostile case, at C speed
            self.budget.spend(stop - index)
            return "", stop, False
        depth = 1
        for bracket in _BRACKET.finditer(data, index, stop):
            depth += 1 if bracket.group() == "[" else -1
            if depth == 0:
                self.budget.spend(bracket.end() - index)
                return data[index:bracket.start()], bracket.end(), True
        self.budget.spend(stop - index)
        return "", stop, False

    def getLink(self, data: str, index: int) -> tuple[str, str | None, int, bool]:
        stop = self.budget.window(data, index)
        href, title, end, handled = super().getLink(data[index:stop], 0)
        if handled and end >= 0:
            self.budget.spend(end)
            return href, title, index + end, True
        self.budget.spend(stop - index)
        return href, title, end, handled  # end -1 as Python-Markdown gives for `[a](b"(`


# Python-Markdown's link and image processors: name -> (class, pattern, priority).
_LINK_PROCESSORS = {
    "reference": (inlinepatterns.ReferenceInlineProcessor, inlinepatterns.REFERENCE_RE, 170),
    "link": (inlinepatterns.LinkInlineProcessor, inlinepatterns.LINK_RE, 160),
    "image_link": (inlinepatterns.ImageInlineProcessor, inlinepatterns.IMAGE_LINK_RE, 150),
    "image_reference": (inlinepatterns.ImageReferenceInlineProcessor, inlinepatterns.IMAGE_REFERENCE_RE, 140),
    "short_reference": (inlinepatterns.ShortReferenceInlineProcessor, inlinepatterns.REFERENCE_RE, 130),
    "short_image_ref": (inlinepatterns.ShortImageReferenceInlineProcessor, inlinepatterns.IMAGE_REFERENCE_RE, 125),
}
_BOUNDED_LINK_CLASSES = {name: type("Bounded" + cls.__name__, (_BoundedLinkScan, cls), {})
                         for name, (cls, _pattern, _priority) in _LINK_PROCESSORS.items()}


class _BacktickProcessor(inlinepatterns.BacktickInlineProcessor):
    """Code spans as Python-Markdown finds them, but stepping from backtick run to run, not character by
    character (each unclosed run scans to the end of the paragraph: growing runs took a second)."""

    def find_code_spans(self, start: int, text: str) -> tuple[int, int | None]:
        opening = _BACKTICKS.match(text, start)
        ticks = len(opening.group()) if opening else 0
        start += ticks
        longest = end = 0
        for run in _BACKTICKS.finditer(text, start):
            length = run.end() - run.start()
            if length == ticks:
                return start, run.start()
            if length > longest:
                longest, end = length, run.end()
        if 0 < longest < ticks:
            return start - (ticks - longest), end - longest
        return start + ticks, None


class _HTMLExtractor(HTMLExtractor):
    """Raw HTML blocks as Python-Markdown finds them, but a start tag longer than MAX_START_TAG is not a tag
    (html.parser's start-tag pattern runs over `<a<a<a…` to the end of the line for every `<`)."""

    def check_for_whole_start_tag(self, i: int) -> int:
        end = i + MAX_START_TAG
        if end < len(self.rawdata):
            match = htmlparser.locatestarttagend_tolerant.match(self.rawdata, i, end)
            if match.end() >= end - 1:
                return -1  # handled as text, like an unfinished tag
        return super().check_for_whole_start_tag(i)


class _HtmlBlockPreprocessor(HtmlBlockPreprocessor):
    def run(self, lines: list[str]) -> list[str]:
        parser = _HTMLExtractor(self.md)
        parser.feed("\n".join(lines))
        parser.close()
        return "".join(parser.cleandoc).split("\n")


class _LinearTime(Extension):
    """Replace the processors that are quadratic on hostile input, under the same names and priorities."""

    def __init__(self, text_length: int):
        super().__init__()
        self.budget = _ScanBudget(self.budget_for(text_length))

    @staticmethod
    def budget_for(text_length: int) -> int:
        """The characters the link scans of one render of a text of TEXT_LENGTH may read."""
        return max(SCAN_BUDGET_MIN, SCAN_BUDGET_PER_CHAR * text_length)

    def extendMarkdown(self, md: _markdown.Markdown) -> None:
        for name, (_cls, pattern, priority) in _LINK_PROCESSORS.items():
            processor = _BOUNDED_LINK_CLASSES[name](pattern, md)
            processor.budget = self.budget
            md.inlinePatterns.register(processor, name, priority)
        md.inlinePatterns.register(_BacktickProcessor(inlinepatterns.BACKTICK_RE), "backtick", 190)
        md.preprocessors.register(_HtmlBlockPreprocessor(md), "html_block", 20)


# Quotes and lists inside one another: Python-Markdown parses each level recursively, re-reading
# the rest of the line, so 200 kB of `>` took 5.7 s (and deeper text ends in a RecursionError).
# Real text nests a few levels; deeper is refused before parsing, in time linear in the text.
MAX_NESTING = 20
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_RULE = re.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")  # `- - -` is a rule, not three list items
_LIST_MARKER = re.compile(r"(?:[-*+]|\d{1,9}[.)])(?=[ \t]|$)")


def too_deep_line(text: str, limit: int = MAX_NESTING) -> int | None:
    """The number of the first line of TEXT nested deeper than LIMIT levels of quotes, lists and
    indentation (four columns a level), outside fenced code; None when there is none."""
    fence = None
    for number, line in enumerate(text.splitlines(), 1):
        opening = _FENCE.match(line)
        if fence is not None:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = None
            continue
        if opening:
            fence = opening.group(1)
            continue
        if _RULE.match(line):
            continue
        depth = i = 0
        while depth <= limit:
            column = 0
            while i < len(line) and line[i] in " \t":
                column += 4 if line[i] == "\t" else 1
                i += 1
            depth += column // 4
            marker = _LIST_MARKER.match(line, i)
            if i < len(line) and line[i] == ">":
                depth, i = depth + 1, i + 1
            elif marker:
                depth, i = depth + 1, marker.end()
            else:
                break
        if depth > limit:
            return number
    return None


def nesting_problem(text: str) -> str | None:
    """Why TEXT cannot be rendered for its nesting (naming the line), or None."""
    line = too_deep_line(text)
    return None if line is None else (
        f"the text is nested too deeply: line {line} has more than {MAX_NESTING} levels of quotes, lists or "
        "indentation (four spaces a level; put code in a fenced block)")


class MarkdownError(ValueError):
    """Markdown that cannot be rendered (nested too deeply for Python-Markdown's recursive parser)."""


def render(text: str) -> str:
    """Render Markdown TEXT to sanitised HTML (MarkdownError when it is nested too deeply)."""
    problem = nesting_problem(text)
    if problem:
        raise MarkdownError(problem)
    converter, linear = _converter()
    converter.reset()  # the last text's references, stash and headings' table of contents go
    linear.budget.remaining = linear.budget_for(len(text))
    try:
        html = converter.convert(text)
    except RecursionError:
        _CONVERTERS.made = None  # a converter stopped half-way is not reused
        raise MarkdownError("the text is nested too deeply (lists or quotes inside one another)") from None
    except BaseException:
        _CONVERTERS.made = None
        raise
    return sanitize(html)


_CONVERTERS = threading.local()


def _converter() -> tuple[_markdown.Markdown, "_LinearTime"]:
    """This thread's converter and its _LinearTime, built once: building one (its extensions and
    their processors) cost about as much as converting a short body (0.2 ms), at every render."""
    made = getattr(_CONVERTERS, "made", None)
    if made is None:
        linear = _LinearTime(0)
        made = _CONVERTERS.made = (_markdown.Markdown(extensions=[*_EXTENSIONS, linear],
                                                      extension_configs=_EXTENSION_CONFIG), linear)
    return made


def sanitize(html: str) -> str:
    """Clean an HTML fragment with the site's allowlist."""
    return _CLEANER.clean(html)
