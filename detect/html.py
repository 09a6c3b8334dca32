"""HTML to visible text with selectolax (lexbor).

Scripts, styles and templates are dropped; block elements end a line, inline ones do not ("Price: 10 <b>USD</b>"
stays one line); two-cell table rows and definition lists become "Key: value" lines and wider rows
"a | b | c", so that the text reads like a property list whatever the markup.
"""

from __future__ import annotations

import html as html_lib
import re

from selectolax.lexbor import LexborHTMLParser

DROP = "script, style, noscript, template, svg, iframe, object, head"
BLOCKS = ("p, div, li, h1, h2, h3, h4, h5, h6, br, dd, section, article, header, footer, nav, main, aside, "
          "blockquote, pre, table, ul, ol, form, address, figcaption, hr")


def _cell(node) -> str:
    # inline markup inside a word is not a word break (C<sub>6</sub>H<sub>8</sub>O<sub>7</sub> is C6H8O7); block
    # elements inside the cell were given a line end by ``flatten`` first
    return " ".join(node.text(separator="", strip=False).split())


def flatten(tree: LexborHTMLParser) -> None:
    """Rewrite the tree in place so that its text reads as lines (see the module docstring)."""
    for node in tree.css(DROP):
        node.decompose()
    for node in tree.css(BLOCKS):
        node.insert_after("\n")
    for tr in tree.css("tr"):
        cells = [_cell(c) for c in tr.css("th, td")]
        cells = [c for c in cells if c]
        text = f"{cells[0]}: {cells[1]}" if len(cells) == 2 else " | ".join(cells)
        tr.replace_with(f"\n{text}\n" if text else "\n")
    for dt in tree.css("dt"):
        dt.replace_with(f"\n{_cell(dt)}: ")


def lines_of(tree: LexborHTMLParser) -> list[str]:
    root = tree.body or tree.root
    if root is None:
        return []
    text = root.text(separator="", strip=False)
    return [line for line in (" ".join(raw.split()) for raw in text.splitlines()) if line]


TAG_RE = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*?(/?)>")
VOID_TAGS = frozenset("area base br col embed hr img input link meta param source track wbr".split())
STRIP_RE = re.compile(r"<(script|style)\b.*?</\1\s*>|<[^>]*>", re.IGNORECASE | re.DOTALL)
MANY_TAGS = 20000  # pages with fewer "<" than this are never deep enough to matter: counted at C speed


def nesting_depth(html: str) -> int:
    """The deepest nesting of elements (void elements and self-closed tags do not nest)."""
    depth = deepest = 0
    for m in TAG_RE.finditer(html):
        if m.group(2).lower() in VOID_TAGS or m.group(3):
            continue
        if m.group(1):
            depth = max(0, depth - 1)
        else:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


def plain_lines(html: str) -> list[str]:
    """Visible text without a parser (tags, scripts and styles removed): for pages nested too deeply to parse,
    since lexbor's cost grows with the square of the nesting depth (77 s for 100,000 nested divs)."""
    text = html_lib.unescape(STRIP_RE.sub("\n", html))
    return [line for line in (" ".join(raw.split()) for raw in text.splitlines()) if line]


def too_deep(html: str, max_depth: int) -> int:
    """The nesting depth when it is over ``max_depth``, else 0 (cheap for pages with few tags)."""
    if html.count("<") <= MANY_TAGS:
        return 0
    depth = nesting_depth(html)
    return depth if depth > max_depth else 0


def html_to_text(html: str) -> str:
    return page_text(html)[0]


def page_text(html: str) -> tuple[str, str | None]:
    """(visible text, title) from one parse: the title is the first <h1>, else <title>."""
    tree = LexborHTMLParser(html)
    title = None
    for sel in ("h1", "title"):
        node = tree.css_first(sel)
        if node is not None and node.text(strip=True):
            title = " ".join(node.text(strip=True).split())
            break
    flatten(tree)
    return "\n".join(lines_of(tree)), title
