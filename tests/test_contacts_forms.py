"""detect/contacts.py scans non-ASCII text for its marks as ASCII bytes (each non-ASCII character as "?") when none of
the text's non-ASCII characters is in a pattern: the marks and the contacts are those of the UTF-8 scan it replaced
(kept as the reference by turning the stand-in off), on hand-written contacts, generated strings (labels in Latin,
Cyrillic and Chinese, full-width colons, "≥", accented letters, random code points) and every stored text. Fake
contacts only (+00 000 0000, example.com)."""

import random

import pytest

from detect import contacts
from detect.contacts import _marks_hyperscan, extract_contacts
from stored_rows import stored_rows

CASES = [
    ("Purity ≥ 99%\nWhatsApp: +00 000 000 1791; Email: sales0@example.com", "the mix's '≥' with a label"),
    ("Société Exemple Co., Ltd. ≥98%\nTelegram @example_shop", "an accented company name, an app name"),
    ("Контакт ватсап: +00 000 0000", "a Cyrillic label: its letters are in a pattern"),
    ("微信：example123 ≥ 99%", "a Chinese label and a full-width colon"),
    ("éwa: 000000000", "an accented letter before a Latin label (no word boundary in either form)"),
    ("Exemple GmbH·Ltd.", "a middle dot between suffixes"),
]

PIECES = ["whatsapp", "WhatsApp", "wa", "tg", "telegram", "wechat", "ватсап", "телеграм", "微信", "微信号", "电报",
          ":", "：", " ", "\t", "\n", "+00 000 000 1791", "@example_shop", "sales@example.com", "Co., Ltd.", "Ltd",
          "Limited", "GmbH", "Inc.", "LLC", "Example", "Trading", "btc", "0x", "usdt", "≥", "é", "ü", "中", "°", "·",
          "\u3000", "\u00a0", "id", "no.", "number", "1", "a"]


def _code_point(rng) -> str:
    """A random non-ASCII character, not a lone surrogate (UTF-8 cannot encode one: the batch reader turns them into
    U+FFFD before a scan, and the stand-in refuses them, below)."""
    c = rng.randrange(0x80, 0x30000)
    return chr(c if not 0xD800 <= c <= 0xDFFF else c + 0x800)


def _texts():
    rng = random.Random(30)
    texts = [t for t, _ in CASES]
    for i in range(6000):
        texts.append("".join(rng.choice(PIECES) if rng.random() < 0.9 else _code_point(rng)
                             for _ in range(rng.randint(1, 16))))
    texts += [v for row in stored_rows() for k, v in row.items() if k in ("text", "title") and isinstance(v, str)]
    return texts


def test_stand_in_marks_and_contacts_as_utf8(monkeypatch):
    texts = _texts()
    new = [(_marks_hyperscan(t), extract_contacts(t)) for t in texts]
    used = sum(not t.isascii() and contacts._ascii_stand_in(t) is not None for t in texts)
    monkeypatch.setattr(contacts, "_ascii_stand_in", lambda t: t.encode("ascii") if t.isascii() else None)
    old = [(_marks_hyperscan(t), extract_contacts(t)) for t in texts]
    for t, a, b in zip(texts, new, old):
        assert a == b, repr(t[:200])
    assert used > 1500  # the stand-in is taken on many non-ASCII texts


@pytest.mark.parametrize("text, stand_in", [("≥ 99% wa: 000000", True), ("ватсап: 000000", False),
                                            ("微信：abc123", False), ("a\ud800b", False), ("plain", True)])
def test_stand_in_taken_only_when_safe(text, stand_in):
    assert (contacts._ascii_stand_in(text) is not None) is stand_in
