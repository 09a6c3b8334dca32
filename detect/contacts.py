"""Seller signals: phone and messenger numbers, handles, emails, crypto wallets and company names.

Values are normalized so the store can link listings of one seller: digits only for numbers, lowercase for emails
and handles, company names lowercased with spaces collapsed. Each pattern is anchored on something rare ("@", "+",
a messenger name, a company suffix, a wallet cue) so that ordinary text is skipped at C speed.
"""

from __future__ import annotations

import re

from .result import Contact

LABELS = {
    "whatsapp": "whatsapp", "wa": "whatsapp", "telegram": "telegram", "tg": "telegram", "signal": "signal",
    "wickr": "wickr", "wickr me": "wickr", "wechat": "wechat", "weixin": "wechat", "微信": "wechat",
    "skype": "skype", "viber": "viber", "threema": "threema", "session": "session", "qq": "qq",
    "phone": "phone", "tel": "phone", "mobile": "phone", "cell": "phone", "电话": "phone", "手机": "phone",
}
# A labelled contact is "<messenger> [id|no|number]: value"; found from each colon, on the lowercased text.
LABEL_BEFORE_COLON_RE = re.compile(
    r"(?<![a-z])(whatsapp|wickr me|wickr|telegram|signal|wechat|weixin|skype|viber|threema|session|phone|mobile|"
    r"cell|tel|wa|tg|qq|微信|电话|手机)(?: ?(?:id|no\.?|number))?[ \t]*$"
)
VALUE_AFTER_COLON_RE = re.compile(r"[ \t]*(\+?\d[\d \-().]{5,20}\d|@?[a-z0-9][\w.\-:]{2,40})")
PHONE_RE = re.compile(r"\+\d[\d \-()]{7,18}\d(?!\d)")
EMAIL_LOCAL_RE = re.compile(r"[A-Za-z0-9._%+\-]{1,64}$")
EMAIL_DOMAIN_RE = re.compile(r"[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
WALLET_CUES = ("btc", "bitcoin", "usdt", "eth", "wallet", "trc", "erc", "crypto", "xmr", "monero")
WALLETS = [
    ("wallet-btc", re.compile(r"\b(?:bc1[a-z0-9]{25,60}|[13][a-km-zA-HJ-NP-Z1-9]{25,34})\b")),
    ("wallet-eth", re.compile(r"\b0x[a-fA-F0-9]{40}\b")),
    ("wallet-trx", re.compile(r"\bT[1-9A-HJ-NP-Za-km-z]{33}\b")),
]
SUFFIX_RE = re.compile(r"(?:Co\.,?\s*Ltd\.?|Co\.,?\s*Limited|Company Limited|Ltd\.?|Limited|Inc\.|LLC|GmbH|Corp\.?|"
                       r"Corporation|Pvt\.?\s*Ltd\.?)(?![A-Za-z])")
COMPANY_WORDS_RE = re.compile(r"((?:[A-Z][A-Za-z0-9&'’.\-]*[ \t]+){1,7})$")


def _positions(text: str, ch: str) -> list[int]:
    out, i = [], text.find(ch)
    while i != -1:
        out.append(i)
        i = text.find(ch, i + 1)
    return out


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
        local = EMAIL_LOCAL_RE.search(text, max(0, at - 64), at)
        domain = EMAIL_DOMAIN_RE.match(text, at + 1)
        if local and domain:
            add("email", (local.group() + "@" + domain.group()).lower(), local.start(), domain.end())
        at = text.find("@", at + 1)
    low = text.lower()
    colons = [i for c in ":：" for i in _positions(low, c)] if len(low) == len(text) else []
    for colon in sorted(colons):
        label = LABEL_BEFORE_COLON_RE.search(low, max(0, colon - 24), colon)
        if label is None:
            continue
        m = VALUE_AFTER_COLON_RE.match(low, colon + 1)
        if m is None or not free(m.start(1)):
            continue
        kind = LABELS[label.group(1)]
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
    if any(c in low for c in WALLET_CUES):
        for kind, rx in WALLETS:
            for m in rx.finditer(text):
                add(kind, m.group(), m.start(), m.end())
    for m in SUFFIX_RE.finditer(text):
        line_start = max(text.rfind("\n", 0, m.start()) + 1, m.start() - 120)
        words = COMPANY_WORDS_RE.search(text, line_start, m.start())
        if not words:
            continue
        name_words = words.group(1).split()
        while name_words and name_words[0].rstrip(":：").lower() in ("supplier", "company", "seller", "manufacturer",
                                                                      "vendor", "from", "by", "contact"):
            name_words = name_words[1:]
        if name_words:
            add("company", " ".join(w.lower() for w in name_words + m.group().split()), words.start(), m.end())
    return list(found.values())
