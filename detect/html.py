"""HTML to visible text with selectolax (lexbor): scripts, styles and templates removed, block breaks kept."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

DROP = "script, style, noscript, template, svg, iframe, object"


def html_to_text(html: str) -> str:
    tree = LexborHTMLParser(html)
    for node in tree.css(DROP):
        node.decompose()
    root = tree.body or tree.root
    if root is None:
        return ""
    text = root.text(separator="\n", strip=True)
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return "\n".join(line for line in lines if line)


def html_title(html: str) -> str | None:
    tree = LexborHTMLParser(html)
    for sel in ("h1", "title"):
        node = tree.css_first(sel)
        if node is not None and node.text(strip=True):
            return " ".join(node.text(strip=True).split())
    return None
