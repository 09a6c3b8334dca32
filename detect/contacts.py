"""Seller signals: phone and messenger numbers, handles, emails, crypto wallets and company names.

Values are normalized so the store can link listings of one seller: digits only for numbers, lowercase for emails
and handles, company names lowercased with spaces collapsed. Each pattern is anchored on something rare ("@", "+",
a messenger name, a company suffix, a wallet cue) so that ordinary text is skipped at C speed.
"""

from __future__ import annotations

import re

import yaml

from .config import DATA_DIR, SAFE_LOADER
from .normalize import lowered_aligned, non_ascii
from .prefilter import byte_to_char, hyperscan
from .result import Contact

CONTACTS_FILE = DATA_DIR / "contacts.yaml"


def load_labels() -> dict[str, str]:
    """Label -> contact kind, from ``detect/data/contacts.yaml``, longer labels first ("wickr me" before "wickr")."""
    with CONTACTS_FILE.open(encoding="utf-8") as f:
        kinds = yaml.load(f, Loader=SAFE_LOADER)["kinds"]
    labels: dict[str, str] = {}
    for kind, entry in kinds.items():
        for name in entry["names"]:
            if name != name.lower() or name in labels:
                raise ValueError(f"contacts.yaml: label {name!r} of {kind} is not lowercase or is taken by "
                                 f"{labels.get(name)}")
            labels[name] = kind
    return dict(sorted(labels.items(), key=lambda kv: -len(kv[0])))


LABELS = load_labels()
# The app name before a handle or number with no colon: "telegram @x", "TG @x", "whatsapp +00 ...", "微信 abc123".
# Read from each "@" and "+" backwards (rare characters), and from each Chinese app name forwards.
_APP = "|".join(sorted((re.escape(k) for k in LABELS if LABELS[k] not in ("phone",)), key=len, reverse=True))
APP_BEFORE_RE = re.compile(rf"(?:(?<![\w])({_APP})|(微信号?|电报))[ \t]*[:：]?[ \t]*$")
HANDLE_RE = re.compile(r"@([a-z0-9_][a-z0-9_.]{2,40})")
ZH_APPS = ("微信", "电报")
# the last character of every name APP_BEFORE_RE reads: a cheap test before the pattern (see _may_end_app_name)
_APP_LAST_CHARS = frozenset([k[-1] for k in LABELS if LABELS[k] not in ("phone",)] + ["信", "号", "报"])
ZH_VALUE_RE = re.compile(r"号?[ \t]*[:：]?[ \t]*([a-z0-9][a-z0-9_\-]{5,30})(?![a-z0-9_\-])")
# A labelled contact is "<messenger> [id|no|number]: value"; found from each colon, on the lowercased text.
LABEL_SUFFIXES = ("number", "no.", "no", "id")  # longest first
VALUE_AFTER_COLON_RE = re.compile(r"[ \t]*(\+?\d[\d \-().]{5,20}\d|@?[a-z0-9][\w.\-:]{2,40})")
PHONE_RE = re.compile(r"\+\d[\d \-()]{7,18}\d(?!\d)")
_EMAIL_LOCAL = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._%+-"
EMAIL_LOCAL_CHARS = frozenset(_EMAIL_LOCAL)
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
_WALLET_CUES = [(kind, cue) for kind, cues, _ in WALLETS for cue in cues]
_N_LABELS, _N_MARKS = len(_LABEL_KINDS), len(_LABEL_KINDS) + len(_WALLET_CUES)
# SUFFIX_RE's alternatives; those ending in an optional dot are given without it and their match takes the dot that
# follows in _marks_hyperscan: Hyperscan reports every end, so "Ltd\.?" called Python twice for each "Ltd."
_SUFFIXES = [(r"Co\.,?\s*Ltd", "."), (r"Co\.,?\s*Limited", ""), (r"Company Limited", ""), (r"Ltd", "."),
             (r"Limited", ""), (r"Inc\.", ""), (r"LLC", ""), (r"GmbH", ""), (r"Corp", "."), (r"Corporation", ""),
             (r"Pvt\.?\s*Ltd", ".")]
_marks_db = None
_DOT_AFTER = frozenset(_N_MARKS + i for i, (_, dot) in enumerate(_SUFFIXES) if dot)  # suffixes that take a "."


def _compile_marks_db():
    """One Hyperscan database for every contact mark: messenger labels, wallet cues and company suffixes."""
    db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    patterns = [_label_pattern(label) for label, _ in _LABEL_KINDS]
    flags = [hyperscan.HS_FLAG_CASELESS] * len(patterns)
    patterns += [cue.encode("ascii") for _, cue in _WALLET_CUES]
    flags += [hyperscan.HS_FLAG_CASELESS | hyperscan.HS_FLAG_SINGLEMATCH] * len(_WALLET_CUES)
    patterns += [p.encode("ascii") for p, _ in _SUFFIXES]
    flags += [hyperscan.HS_FLAG_SOM_LEFTMOST] * len(_SUFFIXES)
    db.compile(expressions=patterns, ids=list(range(len(patterns))), elements=len(patterns), flags=flags)
    return db


# the non-ASCII characters of the marks' patterns (Cyrillic and Chinese labels, the full-width colon)
_MARK_CHARS = frozenset(c for label, _ in _LABEL_KINDS for c in label if not c.isascii()) | {"："}


def _ascii_stand_in(text: str) -> bytes | None:
    """ASCII bytes on which the marks' database matches as on ``text``'s UTF-8, at character offsets: the text itself
    if ASCII; else, when none of its non-ASCII characters is in a pattern (nor a lone surrogate, which UTF-8 cannot
    encode), the text with each as "?" (the patterns read any byte above 127 and "?" alike: no word character, no
    whitespace, no literal). None: use the UTF-8 bytes (tests/test_contacts_forms.py)."""
    if text.isascii():
        return text.encode("ascii")
    chars = set(non_ascii(text))
    if chars.isdisjoint(_MARK_CHARS) and not any("\ud800" <= c <= "\udfff" for c in chars):
        return text.encode("ascii", "replace")
    return None


def _marks_hyperscan(text: str) -> tuple[list[tuple[str, int]], set[str], list[tuple[int, int]]]:
    """(labels as (kind, position after the colon), wallet kinds cued, company suffix spans) in one scan."""
    global _marks_db
    if _marks_db is None:
        _marks_db = _compile_marks_db()
    data = _ascii_stand_in(text)
    if data is None:
        data = text.encode("utf-8")
    found: list[tuple[int, int, int]] = []
    _marks_db.scan(data, match_event_handler=lambda pid, start, end, flags, ctx: found.append((pid, start, end)))
    if len(data) != len(text):
        chars = byte_to_char(data, [p for _, s, e in found for p in (s, e)])
        found = [(pid, chars[s], chars[e]) for pid, s, e in found]
    labels: dict[int, str] = {}
    cued: set[str] = set()
    suffix_end: dict[int, int] = {}
    for pid, s, e in found:
        if pid < _N_LABELS:
            labels[e] = _LABEL_KINDS[pid][1]  # "wickr me:" and "me:" end at the same colon: one contact
        elif pid < _N_MARKS:
            cued.add(_WALLET_CUES[pid - _N_LABELS][0])
        else:
            if pid in _DOT_AFTER and e < len(text) and text[e] == ".":
                e += 1
            if e > suffix_end.get(s, -1):
                suffix_end[s] = e
    # a suffix inside another (the "Ltd." of "Co., Ltd."), that is starting after an earlier one's start and before
    # its end: in start order, before the furthest end seen so far (tests/test_ordinary_forms.py)
    suffixes, reach, n = [], -1, len(text)
    for s, e in sorted(suffix_end.items()):
        if s >= reach and not (e < n and text[e].isalpha()):
            suffixes.append((s, e))
        if e > reach:
            reach = e
    return [(k, p) for p, k in sorted(labels.items())], cued, suffixes


def _marks_python(text: str) -> tuple[list[tuple[str, int]], set[str], list[tuple[int, int]]]:
    low = lowered_aligned(text)
    cued = {kind for kind, cues, _ in WALLETS if any(c in low for c in cues)}
    return _labelled_python(low), cued, [(m.start(), m.end()) for m in SUFFIX_RE.finditer(text)]


def _labelled_hyperscan(low: str) -> list[tuple[str, int]]:
    return _marks_hyperscan(low)[0]


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


_NON_DIGIT_RE = re.compile(r"\D")
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
NUMBER_RE = re.compile(r"\+?[\d \-().]+")


def _digits(value: str) -> str:
    return _NON_DIGIT_RE.sub("", value)


def _may_end_app_name(low: str, start: int, end: int) -> bool:
    """Whether APP_BEFORE_RE can match in low[start:end]: its match ends at ``end`` (or before a newline there, as
    "$" allows), after an app name and then only spaces, tabs and at most one colon; so the character before those
    must end an app name. False only where the pattern cannot match (tests/test_contacts_speed.py)."""
    for e in (end, end - 1) if end - 1 >= start and low[end - 1] == "\n" else (end,):
        k = e
        while k > start and low[k - 1] in " \t":
            k -= 1
        if k > start and low[k - 1] in ":：":
            k -= 1
            while k > start and low[k - 1] in " \t":
                k -= 1
        if k > start and low[k - 1] in _APP_LAST_CHARS:
            return True
    return False


def _app_named(text: str, low: str, add, free, marks: dict[str, list[int]]) -> None:
    """Handles and numbers with the app's name before them and no colon (a colon is read by the labels above).
    ``marks``: the positions of "@" and "+" in ``text``, the same in ``low`` (of ``text``'s length: each character
    lowered to one, and none lowers to or from "@" or "+")."""
    for mark in ("@", "+"):
        for pos in marks[mark]:
            if not free(pos):
                continue
            start = max(0, pos - 24)
            before = APP_BEFORE_RE.search(low, start, pos) if _may_end_app_name(low, start, pos) else None
            if before is None:
                continue
            kind = LABELS[before.group(1) or before.group(2)]
            if mark == "@":
                m = HANDLE_RE.match(low, pos)
                if m:
                    add(kind, m.group(1).rstrip("."), pos, m.end())
            else:
                m = PHONE_RE.match(text, pos)
                if m:
                    add(kind, _digits(m.group()), pos, m.end())
    # a Chinese app name only where its first character is among the text's non-ASCII ones (none lowers to or from
    # a Chinese character; non_ascii remembers the text's answer)
    for name in [n for n in ZH_APPS if n[0] in non_ascii(text)] if not low.isascii() else ():
        for pos in _positions(low, name):
            m = ZH_VALUE_RE.match(low, pos + len(name))
            if m and free(m.start(1)):
                add(LABELS[name], m.group(1), m.start(1), m.end(1))


def extract_contacts(text: str, text_lower: str | None = None) -> list[Contact]:
    """Contacts in ``text`` (``text_lower``: ``text.lower()``, if the caller already made it). A lone surrogate
    (JSON allows one; UTF-8 cannot encode it) is read as U+FFFD, one character for one."""
    if not text.isascii() and _SURROGATE_RE.search(non_ascii(text)):
        text, text_lower = _SURROGATE_RE.sub("\ufffd", text), None
    found: dict[tuple[str, str], Contact] = {}
    taken: list[tuple[int, int]] = []

    def add(kind: str, value: str, start: int, end: int) -> None:
        taken.append((start, end))
        if value and (kind, value) not in found:
            found[(kind, value)] = Contact(kind, value, start, end)

    def free(pos: int) -> bool:
        for s, e in taken:  # a loop, not any() over a generator: called for every mark, a third of the cost
            if s <= pos < e:
                return False
        return True

    marks = {"@": _positions(text, "@"), "+": _positions(text, "+")}
    for at in marks["@"]:
        # the local part: up to 64 e-mail characters right before the "@" (rstrip of them, not a loop per character)
        before = text[max(0, at - 64):at]
        start = at - (len(before) - len(before.rstrip(_EMAIL_LOCAL)))
        domain = EMAIL_DOMAIN_RE.match(text, at + 1)
        if start < at and domain:
            add("email", text[start:domain.end()].lower(), start, domain.end())
    # one character for each of text's, so that the labels' positions are text's ("İstanbul" used to turn them off)
    low = lowered_aligned(text) if text_lower is None or len(text_lower) != len(text) else text_lower
    labels, cued, suffixes = _marks_hyperscan(text) if hyperscan is not None else _marks_python(text)
    for kind, after in labels:
        m = VALUE_AFTER_COLON_RE.match(low, after)
        if m is None or not free(m.start(1)):
            continue
        raw = text[m.start(1):m.end(1)]
        digits = _digits(raw)
        if len(digits) >= 6 and NUMBER_RE.fullmatch(raw):
            add(kind, digits, m.start(1), m.end(1))
        else:
            add(kind, raw.lstrip("@").rstrip(".;,").lower(), m.start(1), m.end(1))
    _app_named(text, low, add, free, marks)
    for plus in marks["+"]:
        if not free(plus):  # most are a labelled number's, read above: no pattern tried
            continue
        m = PHONE_RE.match(text, plus)
        if m and not (plus and (text[plus - 1].isalnum() or text[plus - 1] == "+")):
            add("phone", _digits(m.group()), m.start(), m.end())
    for kind, _, rx in WALLETS:
        if kind in cued:
            for m in rx.finditer(text):
                add(kind, m.group(), m.start(), m.end())
    for s_start, s_end in suffixes:
        line_start = max(text.rfind("\n", 0, s_start) + 1, s_start - 120)
        words = text[line_start:s_start].split()
        name_words: list[str] = []
        for w in reversed(words[-7:]):  # capitalized words right before the suffix: "Wuhan Fyrenza Trading"
            c = w[0]  # split() makes no empty word
            if not (c.isupper() or c.isdigit() or w == "&") or w[-1] in ":;：,":
                break  # "Supplier:" or "Example_Lab;" ends the name
            name_words.append(w)
        name_words.reverse()
        while name_words and name_words[0].rstrip(":：").lower() in COMPANY_LEADS:
            name_words = name_words[1:]
        if name_words:
            start = text.rfind(name_words[0], line_start, s_start)
            # lowered once joined: a space is neither cased nor case-ignorable, so each word lowers as alone
            add("company", " ".join(name_words + text[s_start:s_end].split()).lower(), start, s_end)
    return list(found.values())
