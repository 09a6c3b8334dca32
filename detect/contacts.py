"""Seller signals: phone and messenger numbers, handles, emails, crypto wallets and company names.

Values are normalized so the store can link listings of one seller: digits only for numbers, lowercase for emails
and handles, company names lowercased with spaces collapsed.
"""

from __future__ import annotations

import re

from .result import Contact

LABELS = {
    "whatsapp": "whatsapp", "wa": "whatsapp", "telegram": "telegram", "tg": "telegram", "signal": "signal",
    "wickr": "wickr", "wickr me": "wickr", "wechat": "wechat", "weixin": "wechat", "微信": "wechat",
    "skype": "skype", "viber": "viber", "line": "line", "threema": "threema", "session": "session", "qq": "qq",
    "phone": "phone", "tel": "phone", "mobile": "phone", "cell": "phone", "电话": "phone", "手机": "phone",
}
LABELLED_RE = re.compile(
    r"(?<![A-Za-z])(whatsapp|wickr me|wickr|telegram|signal|wechat|weixin|skype|viber|threema|session|"
    r"phone|mobile|cell|tel|wa|tg|qq|line|微信|电话|手机)(?: ?(?:id|no\.?|number))?\s*[:：]\s*"
    r"(\+?\d[\d \-().]{5,20}\d|@?[A-Za-z0-9][\w.\-:]{2,40})",
    re.IGNORECASE,
)
PHONE_RE = re.compile(r"(?<![\w+])\+\d[\d \-()]{7,18}\d(?!\d)")
EMAIL_RE = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")
WALLETS = [
    ("wallet-btc", re.compile(r"(?<![A-Za-z0-9])(?:bc1[a-z0-9]{25,60}|[13][a-km-zA-HJ-NP-Z1-9]{25,34})(?![A-Za-z0-9])")),
    ("wallet-eth", re.compile(r"(?<![A-Za-z0-9])0x[a-fA-F0-9]{40}(?![A-Za-z0-9])")),
    ("wallet-trx", re.compile(r"(?<![A-Za-z0-9])T[1-9A-HJ-NP-Za-km-z]{33}(?![A-Za-z0-9])")),
]
COMPANY_RE = re.compile(
    r"(?<![A-Za-z])((?:[A-Z][A-Za-z0-9&'’.\-]*\s+){1,6}?(?:[A-Z][A-Za-z0-9&'’.\-]*\s+)?"
    r"(?:Co\.,?\s*Ltd\.?|Co\.,?\s*Limited|Company Limited|Ltd\.?|Limited|Inc\.?|LLC|GmbH|Corp\.?|Corporation|"
    r"Pvt\.?\s*Ltd\.?))"
)
COMPANY_LEAD_RE = re.compile(r"^(?:Supplier|Company|Seller|Manufacturer|Vendor|From|By|Contact)\s*[:：]?\s*", re.I)


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value)


def extract_contacts(text: str) -> list[Contact]:
    found: dict[tuple[str, str], Contact] = {}

    def add(kind: str, value: str, start: int, end: int) -> None:
        if value and (kind, value) not in found:
            found[(kind, value)] = Contact(kind, value, start, end)

    taken = []
    for m in EMAIL_RE.finditer(text):
        add("email", m.group().lower().rstrip("."), m.start(), m.end())
        taken.append((m.start(), m.end()))
    for m in LABELLED_RE.finditer(text):
        if any(s <= m.start(2) < e for s, e in taken):
            continue
        kind = LABELS[m.group(1).lower()]
        raw = m.group(2)
        digits = _digits(raw)
        if digits and len(digits) >= 6 and re.fullmatch(r"\+?[\d \-().]+", raw):
            add(kind, digits, m.start(2), m.end(2))
        else:
            add(kind, raw.lstrip("@").rstrip(".;,").lower(), m.start(2), m.end(2))
        taken.append((m.start(2), m.end(2)))
    for m in PHONE_RE.finditer(text):
        if not any(s <= m.start() < e for s, e in taken):
            add("phone", _digits(m.group()), m.start(), m.end())
    for kind, rx in WALLETS:
        for m in rx.finditer(text):
            add(kind, m.group(), m.start(), m.end())
    for m in COMPANY_RE.finditer(text):
        name = COMPANY_LEAD_RE.sub("", m.group(1).strip())
        if len(name.split()) >= 2:
            add("company", " ".join(name.lower().split()), m.start(1), m.end(1))
    return list(found.values())
