"""Seller signals: phone and messenger numbers, handles, emails, crypto wallets and company names.

Values are normalized so the store can link listings of one seller: digits only for numbers, lowercase for emails
and handles, company names lowercased with spaces collapsed. Each pattern is anchored on something rare ("@", "+",
a messenger name, a company suffix, a wallet cue) so that ordinary text is skipped at C speed.
"""

from __future__ import annotations

import re

from .prefilter import hyperscan
from .result import Contact

LABELS = {  # longer labels first: "wickr me" before "wickr"
    "wickr me": "wickr",
    "whatsapp": "whatsapp", "wa": "whatsapp", "telegram": "telegram", "tg": "telegram", "signal": "signal",
    "wickr": "wickr", "wechat": "wechat", "weixin": "wechat", "微信": "wechat",
    "skype": "skype", "viber": "viber", "threema": "threema", "session": "session", "qq": "qq",
    "phone": "phone", "tel": "phone", "mobile": "phone", "cell": "phone", "电话": "phone", "手机": "phone",
}
# A labelled contact is "<messenger> [id|no|number]: value"; found from each colon, on the lowercased text.
LABEL_SUFFIXES = ("number", "no.", "no", "id")  # longest first
VALUE_AFTER_COLON_RE = re.compile(r"[ \t]*(\+?\d[\d \-().]{5,20}\d|@?[a-z0-9][\w.\-:]{2,40})")
PHONE_RE = re.compile(r"\+\d[\d \-()]{7,18}\d(?!\d)")
EMAIL_LOCAL_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._%+-")
EMAIL_DOMAIN_RE = re.compile(r"[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
WALLETS = [
    ("wallet-btc", ("btc", "bitcoin", "bc1"), re.compile(r"\b(?:bc1[a-z0-9]{25,60}|[13][a-km-zA-HJ-NP-Z1-9]{25,34})\b")),
    ("wallet-eth", ("0x",), re.compile(r"\b0x[a-fA-F0-9]{40}\b")),
    ("wallet-trx", ("usdt", "trc", "tron"), re.compile(r"\bT[1-9A-HJ-NP-Za-km-z]{33}\b")),
]
SUFFIX_RE = re.compile(r"(?:Co\.,?\s*Ltd\.?|Co\.,?\s*Limited|Company Limited|Ltd\.?|Limited|Inc\.|LLC|GmbH|Corp\.?|"
                       r"Corporation|Pvt\.?\s*Ltd\.?)(?![A-Za-z])")
COMPANY_LEADS = ("supplier", "company", "seller", "manufacturer", "vendor", "from", "by", "contact")


def _positions(text: str, ch: str) -> list[int]:
    out, i = [], text.find(ch)
    while i != -1:
        out.append(i)
        i = text.find(ch, i + 1)
    return out


def _label_pattern(label: str) -> bytes:
    body = "".join(c if c.isalnum() and c.isascii() else "".join(f"\\x{b:02x}" for b in c.encode()) for c in label)
    edge = "\\b" if label.isascii() else ""  # Chinese labels have no word boundaries
    return f"{edge}{body}{edge}(?: ?(?:id|no\\.?|number))?[ \\t]*(?::|\\xef\\xbc\\x9a)".encode("ascii")


_LABEL_KINDS = list(LABELS.items())
_label_db = None


def _labelled_hyperscan(low: str) -> list[tuple[str, int]]:
    global _label_db
    if _label_db is None:
        _label_db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        patterns = [_label_pattern(label) for label, _ in _LABEL_KINDS]
        _label_db.compile(expressions=patterns, ids=list(range(len(patterns))), elements=len(patterns),
                          flags=[hyperscan.HS_FLAG_CASELESS] * len(patterns))
    data = low.encode("utf-8")
    found: list[tuple[int, int]] = []
    _label_db.scan(data, match_event_handler=lambda pid, start, end, flags, ctx: found.append((pid, end)))
    ascii_text = len(data) == len(low)
    out = {}
    for pid, end in found:
        pos = end if ascii_text else len(data[:end].decode("utf-8", "ignore"))
        out[pos] = _LABEL_KINDS[pid][1]  # "wickr me:" and "me:" end at the same colon: one contact
    return sorted(((kind, pos) for pos, kind in out.items()), key=lambda x: x[1])


def _labelled_python(low: str) -> list[tuple[str, int]]:
    out = {}
    for label, kind in LABELS.items():
        i = low.find(label)
        while i != -1:
            j = i + len(label)
            # a Latin label must start a word ("tel:" but not "hotel:"); Chinese labels have no word boundaries
            if not label.isascii() or not (i and low[i - 1].isalpha()):
                k = j
                for suffix in LABEL_SUFFIXES:
                    if low.startswith(" " + suffix, k) or low.startswith(suffix, k):
                        k = low.find(suffix, k) + len(suffix)
                        break
                while k < len(low) and low[k] in " \t":
                    k += 1
                if k < len(low) and low[k] in ":：":
                    out.setdefault(k + 1, kind)
            i = low.find(label, j)
    return sorted(((kind, pos) for pos, kind in out.items()), key=lambda x: x[1])


def _labelled(low: str) -> list[tuple[str, int]]:
    """(kind, position after the colon) for each "<messenger> [id|no|number]: " in the lowercased text."""
    return _labelled_hyperscan(low) if hyperscan is not None else _labelled_python(low)


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value)


def extract_contacts(text: str) -> list[Contact]:
    found: dict[tuple[str, str], Contact] = {}
    taken: list[tuple[int, int]] = []

    def add(kind: str, value: str, start: int, end: int) -> None:
        taken.append((start, end))
        if value and (kind, value) not in found:
            found[(kind, value)] = Contact(kind, value, start, end)

    def free(pos: int) -> bool:
        return not any(s <= pos < e for s, e in taken)

    at = text.find("@")
    while at != -1:
        start = at
        while start > 0 and at - start < 64 and text[start - 1] in EMAIL_LOCAL_CHARS:
            start -= 1
        domain = EMAIL_DOMAIN_RE.match(text, at + 1)
        if start < at and domain:
            add("email", text[start:domain.end()].lower(), start, domain.end())
        at = text.find("@", at + 1)
    low = text.lower()
    for kind, after in (_labelled(low) if len(low) == len(text) else []):
        m = VALUE_AFTER_COLON_RE.match(low, after)
        if m is None or not free(m.start(1)):
            continue
        raw = text[m.start(1):m.end(1)]
        digits = _digits(raw)
        if len(digits) >= 6 and re.fullmatch(r"\+?[\d \-().]+", raw):
            add(kind, digits, m.start(1), m.end(1))
        else:
            add(kind, raw.lstrip("@").rstrip(".;,").lower(), m.start(1), m.end(1))
    for plus in _positions(text, "+"):
        m = PHONE_RE.match(text, plus)
        if m and free(plus) and not (plus and (text[plus - 1].isalnum() or text[plus - 1] == "+")):
            add("phone", _digits(m.group()), m.start(), m.end())
    for kind, cues, rx in WALLETS:
        if any(c in low for c in cues):
            for m in rx.finditer(text):
                add(kind, m.group(), m.start(), m.end())
    for m in SUFFIX_RE.finditer(text):
        line_start = max(text.rfind("\n", 0, m.start()) + 1, m.start() - 120)
        words = text[line_start:m.start()].split()
        name_words: list[str] = []
        for w in reversed(words[-7:]):  # capitalized words right before the suffix: "Wuhan Fyrenza Trading"
            if not (w[:1].isupper() or w[:1].isdigit() or w == "&") or w[-1] in ":;：,":
                break  # "Supplier:" or "Example_Lab;" ends the name
            name_words.insert(0, w)
        while name_words and name_words[0].rstrip(":：").lower() in COMPANY_LEADS:
            name_words = name_words[1:]
        if name_words:
            start = text.rfind(name_words[0], line_start, m.start())
            add("company", " ".join(w.lower() for w in name_words + m.group().split()), start, m.end())
    return list(found.values())
