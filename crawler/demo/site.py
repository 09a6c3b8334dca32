"""The bundled demo marketplace: a static site in the three layouts real chemical platforms use.

Built at run time (nothing large is committed) from fentwatch's labeled listings plus ordinary chemical products:
catalogue product pages (h1 + property table + supplier box), B2B offer pages (offer title, price tiers, MOQ,
supplier, schema.org JSON-LD) and classifieds/forum posts (free text, poster handle); index pages with pagination,
robots.txt (disallowing /private/), sitemap.xml, noise pages (about, login, contact), links to missing pages
(404s) and one oversized page. Text is advertisement copy only; contacts are fake.
"""

from __future__ import annotations

import html
import json
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "data" / "corpus" / "listings.jsonl"
LABELS = ROOT / "tests" / "data" / "corpus" / "labels.jsonl"
PER_PAGE = 20
SECTIONS = {"catalog": "product", "b2b": "offer", "board": "post"}


def _e(s: str) -> str:
    return html.escape(s, quote=True)


def _split(text: str, title: str) -> tuple[list[str], list[tuple[str, str]], list[list[str]]]:
    """Description lines, "Key: value" properties and table rows of a listing's text."""
    lines = [line for line in text.split("\n") if line.strip()]
    if lines and lines[0].strip() == title.strip():
        lines = lines[1:]
    desc, props, table = [], [], []
    for line in lines:
        if line.count("|") >= 2:
            table.append([c.strip() for c in line.split("|")])
        elif ":" in line[:40] and len(line.split(":", 1)[0].split()) <= 4:
            k, v = line.split(":", 1)
            props.append((k.strip(), v.strip()))
        elif "：" in line[:20]:
            k, v = line.split("：", 1)
            props.append((k.strip(), v.strip()))
        else:
            desc.append(line)
    return desc, props, table


def _table(rows: list[list[str]]) -> str:
    if not rows:
        return ""
    head, *body = rows
    out = "<table class='stock'><tr>" + "".join(f"<th>{_e(c)}</th>" for c in head) + "</tr>"
    out += "".join("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in r) + "</tr>" for r in body)
    return out + "</table>"


def _page(title: str, body: str, head: str = "") -> str:
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{_e(title)} | ChemDemo</title>{head}"
            "<style>body{font-family:sans-serif}</style><script>var cart=[];</script></head><body>"
            "<nav><a href='/index.html'>Home</a> <a href='/catalog/page-1.html'>Catalogue</a> "
            "<a href='/b2b/page-1.html'>Offers</a> <a href='/board/page-1.html'>Board</a> "
            "<a href='/about.html'>About</a> <a href='/login.html'>Login</a></nav>"
            f"<main>{body}</main><footer>ChemDemo demo marketplace, 127.0.0.1 only. "
            "<a href='/contact.html'>Contact</a></footer></body></html>")


def catalog_page(x: dict) -> str:
    desc, props, table = _split(x["text"], x["title"])
    supplier = next((v for k, v in props if k.lower() in ("supplier", "供应商", "company")), "")
    rows = "".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in props if k.lower() not in ("supplier", "供应商"))
    body = (f"<h1 class='product-name'>{_e(x['title'])}</h1><div class='desc'>"
            + "".join(f"<p>{_e(d)}</p>" for d in desc) + f"</div>{_table(table)}"
            f"<table class='props'>{rows}</table>"
            f"<div class='supplier-box'><span class='label'>Supplier:</span> <span class='company'>{_e(supplier)}</span></div>")
    return _page(x["title"], body)


def b2b_page(x: dict) -> str:
    desc, props, table = _split(x["text"], x["title"])
    get = {k.lower(): v for k, v in props}
    price, moq = get.get("price", "Inquire"), get.get("moq", "")
    supplier = get.get("supplier", "")
    ld = {"@context": "https://schema.org", "@type": "Product", "name": x["title"],
          "description": " ".join(desc)[:300],
          "offers": {"@type": "Offer", "price": price, "priceCurrency": "USD",
                     "seller": {"@type": "Organization", "name": supplier}}}
    attrs = "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in props if k.lower() not in ("price", "moq", "supplier"))
    body = (f"<h1 class='offer-title'>{_e(x['title'])}</h1>"
            f"<ul class='price-tiers'><li>Price: {_e(price)}</li></ul><div class='moq'>MOQ: {_e(moq)}</div>"
            + "".join(f"<p class='offer-desc'>{_e(d)}</p>" for d in desc) + _table(table)
            + f"<dl class='attrs'>{attrs}</dl><div class='supplier'>Supplier: <b>{_e(supplier)}</b></div>")
    head = f"<script type='application/ld+json'>{json.dumps(ld, ensure_ascii=False)}</script>"
    return _page(x["title"], body, head)


def board_page(x: dict) -> str:
    lines = [line for line in x["text"].split("\n") if line.strip()]
    if lines and lines[0].strip() == x["title"].strip():
        lines = lines[1:]
    handle = f"example_user_{abs(hash(x['id'])) % 10000}"
    body = (f"<article class='post'><h2 class='post-title'>{_e(x['title'])}</h2>"
            f"<div class='meta'>Posted by <span class='poster'>{handle}</span></div>"
            "<div class='post-body'>" + "".join(f"<p>{_e(line)}</p>" for line in lines) + "</div></article>")
    return _page(x["title"], body)


LAYOUTS = {"catalog": catalog_page, "b2b": b2b_page, "board": board_page}


def corpus_listings(limit: int | None = None) -> list[dict]:
    """The labeled corpus's listings in file order (the first ``limit`` of them)."""
    lines = [line for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [json.loads(line) for line in lines[:limit]]


def demo_listings(ordinary: int = 200, seed: int = 11) -> list[dict]:
    """The labeled corpus plus ``ordinary`` ordinary products from the benchmark generator."""
    from lexicon import load_lexicon

    from .ordinary import ordinary as make_ordinary

    listings = corpus_listings()
    rng = random.Random(seed)
    controlled = {c for s in load_lexicon().substances for c in s.cas_numbers}
    listings += [make_ordinary(rng, 900000 + i, controlled) for i in range(ordinary)]
    for x in listings:
        x["platform"] = x.get("platform") if x.get("platform") in LAYOUTS else "catalog"
    return listings


def build_site(out: Path, listings: list[dict] | None = None, oversized_mb: int = 12) -> dict:
    """Write the site under ``out``; returns {"listings": n, "pages": n, "urls": {listing id: path}}."""
    listings = listings if listings is not None else demo_listings()
    out.mkdir(parents=True, exist_ok=True)
    urls: dict[str, str] = {}
    by_section: dict[str, list[dict]] = {s: [] for s in LAYOUTS}
    for x in listings:
        section = x["platform"]
        path = f"/{section}/{SECTIONS[section]}/{x['id']}.html"
        (out / path.lstrip("/")).parent.mkdir(parents=True, exist_ok=True)
        (out / path.lstrip("/")).write_text(LAYOUTS[section](x), encoding="utf-8")
        urls[x["id"]] = path
        by_section[section].append(x)
    pages = len(listings)
    for section, items in by_section.items():
        n_pages = max(1, -(-len(items) // PER_PAGE))
        for p in range(1, n_pages + 1):
            chunk = items[(p - 1) * PER_PAGE:p * PER_PAGE]
            links = "".join(f"<li><a href='{urls[x['id']]}'>{_e(x['title'])}</a></li>" for x in chunk)
            if p == 1:  # a dead link on every first index page: the crawl records the 404 and goes on
                links += f"<li><a href='/{section}/{SECTIONS[section]}/withdrawn-{section}.html'>Withdrawn item</a></li>"
                # pages robots.txt disallows: never fetched
                links += f"<li><a href='/{section}/drafts/draft-1.html'>Draft (staff only)</a></li>"
            if p == 1 and section == "catalog":  # one oversized page: dropped with its reason recorded
                links += "<li><a href='/catalog/product/huge.html'>Full catalogue export</a></li>"
            nav = (f"<a class='prev' href='/{section}/page-{p - 1}.html'>Previous</a> " if p > 1 else "") + (
                f"<a class='next' href='/{section}/page-{p + 1}.html'>Next</a>" if p < n_pages else "")
            (out / section / f"page-{p}.html").write_text(
                _page(f"{section} page {p}", f"<h1>{section.title()} listings, page {p}</h1><ul class='listings'>"
                      f"{links}</ul><div class='pager'>{nav}</div>"), encoding="utf-8")
            pages += 1
    (out / "index.html").write_text(_page("ChemDemo", (
        "<h1>ChemDemo marketplace</h1><p>A demo chemical marketplace for fentwatch.</p><ul>"
        "<li><a href='/catalog/page-1.html'>Catalogue</a></li><li><a href='/b2b/page-1.html'>B2B offers</a></li>"
        "<li><a href='/board/page-1.html'>Classifieds board</a></li>"
        "<li><a href='/private/admin.html'>Admin</a></li>"
        "<li><a href='/catalog/product/huge.html'>Full catalogue export</a></li></ul>")), encoding="utf-8")
    for name, text in (("about", "About ChemDemo: a demo marketplace."), ("login", "Log in to your account."),
                       ("contact", "Contact the ChemDemo team: demo@example.com")):
        (out / f"{name}.html").write_text(_page(name.title(), f"<h1>{name.title()}</h1><p>{text}</p>"), encoding="utf-8")
    (out / "private").mkdir(exist_ok=True)
    (out / "private" / "admin.html").write_text(_page("Admin", "<h1>Admin</h1>"), encoding="utf-8")
    for section in LAYOUTS:
        (out / section / "drafts").mkdir(exist_ok=True)
        (out / section / "drafts" / "draft-1.html").write_text(_page("Draft", "<h1>Draft</h1>"), encoding="utf-8")
    (out / "robots.txt").write_text("User-agent: *\nDisallow: /private/\nDisallow: /catalog/drafts/\n"
                                    "Disallow: /b2b/drafts/\nDisallow: /board/drafts/\n", encoding="utf-8")
    filler = "<p>Glycine | 56-40-6 | 99% | USD 5/kg</p>" * (oversized_mb * 1024 * 1024 // 40)
    (out / "catalog" / "product" / "huge.html").write_text(_page("Full catalogue", filler), encoding="utf-8")
    sitemap = "".join(f"<url><loc>{{base}}{u}</loc></url>" for u in urls.values())
    (out / "sitemap.template.xml").write_text(
        f"<?xml version='1.0' encoding='UTF-8'?><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
        f"{sitemap}</urlset>", encoding="utf-8")
    pages += 6
    return {"listings": len(listings), "pages": pages, "urls": urls}
