"""Time ideapankki.markdown.render on hostile bodies of the form's maximum size against ordinary prose.

    .venv/bin/python bench/render.py [--size 50000] [--timeout 30] [--repeat 3] [--only NAME ...]

Each body is rendered in a child process (best of REPEAT), so a case that has not finished after
TIMEOUT seconds is stopped and reported as slower than that. The baseline is seed prose of the same
size, measured in the same run; the target is hostile ≤ 10× the baseline. The time at half the size
shows the growth: about 2× when a case is linear, 4× when it is quadratic.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_RATIO = 10.0

# name -> (repeated unit, or a function of the size that returns the whole body)
HOSTILE = {
    "[ run": "[",
    "![ run": "![",
    "[x run": "[x",
    "[a]( run": "[a](",
    "[a]((x) run": "[a]((x)",
    "[a](\"( run": '[a]("(',
    "nested [[…]]": lambda n: "[" * (n // 2) + "]" * (n // 2),
    "[a](b) links": "[a](b) ",
    "<a run": "<a",
    "<http:// run": "<http://",
    "<div> run": "<div>",
    "<ul><li> run": "<ul><li>",
    "<!-- run": "<!--",
    "*a run": "*a",
    "***a run": "***a",
    "_a run": "_a",
    "` run": "`",
    "`a run": "`a",
    "growing ``` runs": lambda n: "".join("`" * i + "a" for i in range(1, 400)),
    "& run": "&",
    "\\ run": "\\",
    "| table row": lambda n: "|a|\n|-|\n" + "|x" * (n // 2),
    "> nesting": lambda n: "> " * (n // 2) + "x",
    "- nesting": lambda n: "\n".join(" " * i + "- x" for i in range(0, int(2 * n ** 0.5), 2)),
}


def ordinary(size: int) -> str:
    """Seed bodies (front matter cut off) joined and repeated to SIZE characters."""
    bodies = [path.read_text(encoding="utf-8").split("---", 2)[2].strip()
              for path in sorted((ROOT / "content").rglob("*.md"))]
    text = "\n\n".join(bodies)
    return (text + "\n\n") * (size // len(text) + 1)


def body(name: str, size: int) -> str:
    make = HOSTILE.get(name)
    if make is None:
        text = ordinary(size)
    elif callable(make):
        text = make(size)
    else:
        text = make * (size // len(make) + 1)
    return text[:size]


def child(name: str, size: int, repeat: int) -> None:
    """Render one body REPEAT times in this process; print the best time and the outcome."""
    sys.path.insert(0, str(ROOT))
    from ideapankki.markdown import MarkdownError, render

    text, best, outcome = body(name, size), float("inf"), "html"
    for _ in range(repeat):
        start = time.perf_counter()
        try:
            render(text)
        except MarkdownError:
            outcome = "MarkdownError"
        best = min(best, time.perf_counter() - start)
    print(f"{best} {outcome}")


def measure(name: str, size: int, repeat: int, timeout: float) -> tuple[float | None, str]:
    args = [sys.executable, __file__, "--child", name, "--size", str(size), "--repeat", str(repeat)]
    try:
        out = subprocess.run(args, capture_output=True, text=True, timeout=timeout, check=True).stdout.split()
    except subprocess.TimeoutExpired:
        return None, f"> {timeout:g} s"
    return float(out[0]), out[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=50_000, help="characters per body (the form's maximum)")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds before a case is stopped")
    parser.add_argument("--repeat", type=int, default=3, help="renders per case; the best counts")
    parser.add_argument("--only", nargs="*", metavar="NAME", help="run only these hostile cases")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.child, args.size, args.repeat)

    base, _ = measure("ordinary", args.size, args.repeat, args.timeout)
    if base is None:
        sys.exit("the ordinary baseline did not finish")
    print(f"size {args.size} characters; ordinary prose {base * 1000:.0f} ms; target ≤ {TARGET_RATIO:g}× ordinary\n")
    print(f"{'case':<20} {'ms':>8} {'× ordinary':>11} {'× at half size':>15}  {'outcome':<14} target")
    failed = 0
    for name in args.only or HOSTILE:
        seconds, outcome = measure(name, args.size, args.repeat, args.timeout)
        half = measure(name, args.size // 2, args.repeat, args.timeout)[0] if seconds is not None else None
        ok = seconds is not None and seconds <= TARGET_RATIO * base
        failed += not ok
        ms = f"{seconds * 1000:.0f}" if seconds is not None else "–"
        ratio = f"{seconds / base:.1f}" if seconds is not None else "–"
        growth = f"{seconds / half:.1f}" if half else "–"
        print(f"{name:<20} {ms:>8} {ratio:>11} {growth:>15}  {outcome:<14} {'PASS' if ok else 'FAIL'}", flush=True)
    print(f"\n{'FAIL' if failed else 'PASS'} overall ({failed} of {len(args.only or HOSTILE)} cases over the target)")


if __name__ == "__main__":
    main()
