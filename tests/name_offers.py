"""The name-only offer the name tests scan: a product line with the name, purity, package, price and fake contacts
(advertisement text only), and the connectivity block of a lexicon substance's InChIKey to compare hits with."""

from lexicon import load_lexicon


def offer(name: str, package: str = "10g", price: str = "ask") -> dict:
    return {"id": "t", "title": name, "text": f"Product Name: {name}\nPurity: 99%\nPackage: {package}\n"
                                              f"Price: {price}, WhatsApp +00 000 0000, sales@example.com"}


def block(substance_id: str) -> str:
    return next(s.inchikey for s in load_lexicon().substances if s.id == substance_id).split("-")[0]
