"""Write the fuzz seed corpus from the labeled listings: one file per listing, as the targets read them.

usage: python fuzz/seeds.py [OUT_DIR] [--limit N]   (default fuzz/corpus; writes OUT_DIR/scan and OUT_DIR/extract)
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted((ROOT / "tests" / "data").glob("*/listings.jsonl"))


HOSTILE_LINES = [
    b"\xef\xbb\xbf" + b'{"id":"bom","title":"Fentanyl 99%"}\n\n{"id":2}\r\n',
    b'{"id":"deep","x":' + b"[" * 150 + b"]" * 150 + b"}\n",
    b'{"id":' + b"7" * 120 + b'}\n{"id":1e999999}\n{"id":"n","x":NaN}\n',
    b'{"id":"s","title":"\\ud800 fentanyl","text":"\\udfff"}\n{"id":"p","title":"\\ud83d\\ude00"}\n',
    b'{"id":"u","title":"Fentanyl \xff\xfe\xc3("}\n[1]\n"x"\nnull\n{"id":true}\n',
]


def listings(limit: int | None = None):
    n = 0
    for path in SOURCES:
        for line in path.read_text(encoding="utf-8").splitlines():
            if limit is not None and n >= limit:
                return
            yield json.loads(line)
            n += 1


def as_page(x: dict) -> str:
    """A listing as a product page (the extraction target's seed)."""
    rows = "".join(f"<p>{html.escape(line)}</p>" for line in (x.get("text") or "").splitlines())
    return (f"<html><head><title>{html.escape(x.get('title') or '')}</title></head><body><nav><a href='/'>home</a>"
            f"</nav><h1>{html.escape(x.get('title') or '')}</h1>{rows}<a href='/catalog/next.html'>next</a></body></html>")


# structured data in the shapes pages use and the shapes that broke the extraction (docs/crawling.md)
STRUCTURED = [
    '{"@context":"https://schema.org","@type":"Product","name":"NPP 98%","offers":{"@type":"AggregateOffer",'
    '"lowPrice":"10","highPrice":"20","priceCurrency":"USD","seller":{"name":"Example Co"}}}',
    '{"@graph":[{"@type":"WebPage"},{"@type":"Product","name":"4-ANPP","offers":[{"price":"55"}]}]}',
    '{"@graph":null}', '{"@type":{"Product":1}}', '[[[[[[{"@type":"Product"}]]]]]]', '{"@type":"Product","name":1e999}',
]


def write_seeds(out: Path, limit: int | None = None) -> int:
    (out / "scan").mkdir(parents=True, exist_ok=True)
    (out / "extract").mkdir(parents=True, exist_ok=True)
    (out / "lines").mkdir(parents=True, exist_ok=True)
    for i, seed in enumerate(HOSTILE_LINES):  # the scan input's hostile shapes (issue 16)
        (out / "lines" / f"hostile-{i}").write_bytes(seed)
    n = 0
    for x in listings(limit):
        text = f"{x.get('title') or ''}\n{x.get('text') or ''}".encode("utf-8")
        page = as_page(x).encode("utf-8")
        (out / "scan" / hashlib.sha1(text).hexdigest()).write_bytes(text)
        (out / "extract" / hashlib.sha1(page).hexdigest()).write_bytes(b"\x00" + page)  # first byte: content type
        line = json.dumps(x, ensure_ascii=False).encode("utf-8") + b"\n"
        (out / "lines" / hashlib.sha1(line).hexdigest()).write_bytes(line)
        n += 1
    for ld in STRUCTURED:
        page = (f"<html><head><script type='application/ld+json'>{ld}</script><meta property='og:type' "
                f"content='product'></head><body><h1>Offer</h1><p>CAS No.: 990-73-8</p><button>Add to cart</button>"
                f"</body></html>").encode("utf-8")
        (out / "extract" / hashlib.sha1(page).hexdigest()).write_bytes(b"\x00" + page)
    return n


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("out", nargs="?", default=str(ROOT / "fuzz" / "corpus"))
    ap.add_argument("--limit", type=int, default=None)
    args = ap.parse_args()
    print(f"{write_seeds(Path(args.out), args.limit)} seeds in {args.out}")
