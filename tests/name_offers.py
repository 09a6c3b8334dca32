"""The name-only offer the name tests scan: a product line with the name, purity, package, price and fake contacts
(advertisement text only), and the connectivity block of a lexicon substance's InChIKey to compare hits with."""

from lexicon import load_lexicon


def offer(name: str, package: str = "10g", price: str = "ask") -> dict:
    return {"id": "t", "title": name, "text": f"Product Name: {name}\nPurity: 99%\nPackage: {package}\n"
                                              f"Price: {price}, WhatsApp +00 000 0000, sales@example.com"}


def block(substance_id: str) -> str:
    return next(s.inchikey for s in load_lexicon().substances if s.id == substance_id).split("-")[0]


def structures(result) -> set[str]:
    """The connectivity blocks of a scan result's hits that carry a structure."""
    return {h.inchikey.split("-")[0] for h in result.hits if h.inchikey}


def assert_gets(det, name: str, substance: str, why: str):
    """A name-only offer of ``name`` is flagged with a hit of the lexicon substance's structure; the result."""
    r = det.scan(offer(name))
    assert r.flagged and block(substance) in structures(r), ([(h.substance, h.method) for h in r.hits], why)
    return r
