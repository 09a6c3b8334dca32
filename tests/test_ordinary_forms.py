"""Session 9's faster forms on an ordinary listing's path answer as the forms they replace (kept below as they were
at main 7257da9): the words view (detect/normalize.py: the leet pass built from slices, the leet and spacing
searches from one Hyperscan pass) on hand-written cases, generated strings and every stored text. Advertisement
text only (names, purity, packaging, prices, example.com contacts)."""

import random

import pytest

from detect import contacts as C
from detect.contacts import (COMPANY_LEADS, EMAIL_DOMAIN_RE, EMAIL_LOCAL_CHARS, NUMBER_RE, PHONE_RE,
                             VALUE_AFTER_COLON_RE, WALLETS, Contact, _digits, _LABEL_KINDS,
                             _positions, _WALLET_CUES, byte_to_char)
from detect import normalize as N
from detect.transliterate import has_script, transliterate
from detect.zh_names import fold_stem_variants
from stored_rows import stored_rows


# --- the forms of main 7257da9, kept as the reference -----------------------------------------------------------
def _unleet_old(text, positions):
    if not positions:
        return text
    chars = list(text)
    for i in positions:
        chars[i] = chars[i].translate(N._LEET)
    return "".join(chars)


def _words_view_old(norm, original="", lowered=None):
    text = lowered if lowered is not None and norm.text is original else norm.text.lower()
    index = norm.index
    if len(text) != len(norm.text):
        chars, new_index = [], []
        for i, ch in enumerate(norm.text):
            low = ch.lower()
            chars.append(low)
            new_index += [i] * len(low)
        text, index = "".join(chars), N._compose(index, new_index)
    if not text.isascii():
        extra = N.non_ascii(text)
        if has_script(extra):
            text, index = transliterate(text, original or norm.text, index)
            extra = N.non_ascii(text)
        if N._HAN_RE.search(extra):  # the one pass added since: separators between two Han characters dropped
            text, index = N._close_han_gaps(text, index)
        if "坦" in extra:
            text = fold_stem_variants(text)
            extra = N.non_ascii(text)
        if N._LATIN_BASE_RE.search(extra):
            text = text.translate(N._LATIN_BASE)
        if N._MARKS_RE.search(extra):  # added since: combining marks after a Latin letter dropped
            text, index = N._drop(text, index, [m.span() for m in N._MARKS_AFTER_LETTER_RE.finditer(text)])
    shape_src = text.encode("ascii", "replace")
    text = _unleet_old(text, N._leet_positions(shape_src))
    if "@" in text or "$" in text:
        text = _unleet_old(text, N._edge_leet_positions(text))
    regions = N._spacing_regions(shape_src)
    if regions:
        keep = [True] * len(text)
        changed = False
        covered = -1
        for start in regions:
            if start < covered:
                continue
            m = N._SPACED_RE.search(text, start, min(len(text), start + 400))
            if m is None:
                continue
            covered = m.end()
            for j in range(m.start(), m.end()):
                if N._SEPARATORS_RE.match(text[j]):
                    keep[j] = False
                    changed = True
        if changed:
            inner = [j for j, k in enumerate(keep) if k]
            text = "".join(text[j] for j in inner)
            index = N._compose(index, inner) if index is not None else inner
    split = [m for m in N._split_stem_re().finditer(text) if not m.group().isalpha()]  # added since: "fen tanyl"
    text, index = N._drop(text, index, [(j, j + 1) for m in split for j in range(*m.span()) if not text[j].isalpha()])
    return N.View(text, index, norm.original_length)


# (text, comment)
CASES = [
    ("Fentanyl citrate 99% 1kg", "plain ASCII, nothing to undo"),
    ("MF: C11H23NO2, 25 kg drum", "a formula: its digits read as leet between letters"),
    ("f3ntanyl, fent@nyl, fentany1, a0a0", "leet inside and ending words"),
    ("p-fluoro-@cetylfentanyl, 3-methyl-$ufentanil, fent@-x", "symbols after and before a hyphen"),
    ("f.e.n.t.a.n.y.l 4 A N P P f-e-n-t", "spelled-out words"),
    ("f.e.n.t", "spelled out from the text's start"),
    ("a..b..c..d and x | y | z | w", "two separators between letters"),
    ("Purity ≥99% c11h2 f3nt", "non-ASCII text with leet"),
    ("фентанил f.e.n.t.a", "Cyrillic and spacing"),
    ("Contact: sales@example.com, +00 000 0000, USD $100", "contacts and a price"),
    ("", "empty"),
    ("\ud800 f3nt \udfff", "lone surrogates"),
]

PIECES = ["f", "e", "n", "t", "a", "y", "l", "c", "h", "11", "0", "1", "3", "4", "5", "7", "9", "@", "$", "!", "|",
          " ", ".", "-", "_", "*", "/", "\\", "~", "+", "·", "•", "≥", "é", "É", "ф", "坦", "İ", "\t", "\n", "A", "Z",
          "fentanyl", "c11h23", "@cetyl", "$u", "x"]


def texts():
    yield from (t for t, _ in CASES)
    rng = random.Random(9)
    for _ in range(20000):
        yield "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 14)))
    for _ in range(3000):
        yield "".join(chr(rng.randrange(0x20, 0x7f)) if rng.random() < 0.8 else chr(rng.randrange(0x80, 0x30000))
                      for _ in range(rng.randint(1, 30)))
    for row in stored_rows():
        for key in ("title", "text"):
            if isinstance(row.get(key), str):
                yield row[key]


def test_words_view_answers_as_main():
    changed = 0
    for text in texts():
        norm = N._norm_view(text)
        lowered = text.lower() if text.isascii() else None
        new, old = N._words_view(norm, text, lowered), _words_view_old(norm, text, lowered)
        assert (new.text, new.index) == (old.text, old.index), repr(text)
        changed += new.text != norm.text.lower()
    assert changed > 1000  # the leet and spacing passes did change many of them


def test_unleet_answers_as_main():
    rng = random.Random(10)
    for _ in range(5000):
        text = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 10)))
        positions = sorted(rng.sample(range(len(text)), rng.randint(0, min(4, len(text)))))
        assert N._unleet(text, positions) == _unleet_old(text, positions)
    assert N._unleet("c11h23", [1, 2]) == "ciih23"


def test_shape_scan_reads_as_the_shapes():
    """One Hyperscan pass gives every "a1" of the leet shape, from which _leet_from reads the positions
    _leet_positions reads, and says whether the spacing shape has ".a.a.a.", ".a..a..a.." or the start's form (so
    it is False only where _spacing_regions finds nothing), and whether an "@" or "$" stands where
    _edge_leet_positions could read it (False only where it finds nothing). _may_split is False only where the
    split-stem pattern finds nothing."""
    seen, leet_found, edges, splits = set(), 0, 0, 0
    for text in texts():
        data = text.lower().encode("ascii", "replace")
        starts, spaced, edge = N._shape_scan(data)
        split = N._may_split(data)
        unleeted = N._unleet(text.lower(), N._leet_positions(data)) if len(text.lower()) == len(data) else ""
        assert edge or not N._edge_leet_positions(unleeted), repr(text)
        assert split or not any(not m.group().isalpha() for m in N._split_stem_re().finditer(unleeted)), repr(text)
        splits += split
        edges += edge
        lshape, sshape = data.translate(N._LEET_SHAPE), data.translate(N._SPACED_SHAPE)
        assert starts == [i for i in range(len(lshape) - 1) if lshape[i:i + 2] == b"a1"], repr(text)
        assert N._leet_from(data, starts) == N._leet_positions(data), repr(text)
        assert spaced == (b".a.a.a." in sshape or b".a..a..a.." in sshape or (
            sshape[:1] == b"a" and (sshape[1:6] == b".a.a." or sshape[1:8] == b"..a..a."))), repr(text)
        assert spaced or not N._spacing_regions(data)
        seen.add((bool(starts), spaced))
        leet_found += bool(N._leet_positions(data))
    assert seen == {(False, False), (False, True), (True, False), (True, True)} and leet_found > 1000
    assert 1000 < edges < 23000  # some texts have a symbol at a word's edge, most have not
    assert 10 < splits < 5000  # a stem (in pieces or not) in some texts only


# --- detect/contacts.py at main 7257da9 (its marks' reading and extract_contacts), kept as the reference ----------
_OLD_SUFFIXES = [r"Co\.,?\s*Ltd\.?", r"Co\.,?\s*Limited", r"Company Limited", r"Ltd\.?", r"Limited", r"Inc\.", r"LLC",
                 r"GmbH", r"Corp\.?", r"Corporation", r"Pvt\.?\s*Ltd\.?"]
_old_db = []


def _old_marks_db():
    """main's marks database (its suffixes with their optional dots)."""
    if not _old_db:
        hs = C.hyperscan
        patterns = [C._label_pattern(label) for label, _ in _LABEL_KINDS]
        flags = [hs.HS_FLAG_CASELESS] * len(patterns)
        patterns += [cue.encode("ascii") for _, cue in _WALLET_CUES]
        flags += [hs.HS_FLAG_CASELESS | hs.HS_FLAG_SINGLEMATCH] * len(_WALLET_CUES)
        patterns += [p.encode("ascii") for p in _OLD_SUFFIXES]
        flags += [hs.HS_FLAG_SOM_LEFTMOST] * len(_OLD_SUFFIXES)
        db = hs.Database(mode=hs.HS_MODE_BLOCK)
        db.compile(expressions=patterns, ids=list(range(len(patterns))), elements=len(patterns), flags=flags)
        _old_db.append(db)
    return _old_db[0]


def _marks_hyperscan_old(text: str) -> tuple[list[tuple[str, int]], set[str], list[tuple[int, int]]]:
    """(labels as (kind, position after the colon), wallet kinds cued, company suffix spans) in one scan."""
    data = C._ascii_stand_in(text)
    if data is None:
        data = text.encode("utf-8")
    found: list[tuple[int, int, int]] = []
    _old_marks_db().scan(data, match_event_handler=lambda pid, start, end, flags, ctx: found.append((pid, start, end)))
    if len(data) != len(text):
        chars = byte_to_char(data, [p for _, s, e in found for p in (s, e)])
        found = [(pid, chars[s], chars[e]) for pid, s, e in found]
    n_labels, n_cues = len(_LABEL_KINDS), len(_WALLET_CUES)
    labels: dict[int, str] = {}
    cued: set[str] = set()
    suffix_end: dict[int, int] = {}
    for pid, s, e in found:
        if pid < n_labels:
            labels[e] = _LABEL_KINDS[pid][1]  # "wickr me:" and "me:" end at the same colon: one contact
        elif pid < n_labels + n_cues:
            cued.add(_WALLET_CUES[pid - n_labels][0])
        else:
            suffix_end[s] = max(e, suffix_end.get(s, e))
    suffixes = [(s, e) for s, e in sorted(suffix_end.items())
                if not (e < len(text) and text[e].isalpha()) and not any(s2 < s < e2 for s2, e2 in suffix_end.items())]
    return sorted(((k, p) for p, k in labels.items()), key=lambda x: x[1]), cued, suffixes


def _app_named_old(text: str, low: str, add, free) -> None:
    """Handles and numbers with the app's name before them and no colon (a colon is read by the labels above)."""
    for mark in ("@", "+"):
        for pos in _positions(low, mark):
            if not free(pos):
                continue
            start = max(0, pos - 24)
            before = C.APP_BEFORE_RE.search(low, start, pos) if C._may_end_app_name(low, start, pos) else None
            if before is None:
                continue
            kind = C.LABELS[before.group(1) or before.group(2)]
            if mark == "@":
                m = C.HANDLE_RE.match(low, pos)
                if m:
                    add(kind, m.group(1).rstrip("."), pos, m.end())
            else:
                m = PHONE_RE.match(text, pos)
                if m:
                    add(kind, _digits(m.group()), pos, m.end())
    for name in C.ZH_APPS:
        for pos in _positions(low, name):
            m = C.ZH_VALUE_RE.match(low, pos + len(name))
            if m and free(m.start(1)):
                add(C.LABELS[name], m.group(1), m.start(1), m.end(1))


def _extract_contacts_old(text: str, text_lower: str | None = None) -> list[Contact]:
    """Contacts in ``text`` (``text_lower``: ``text.lower()``, if the caller already made it). Main's reading, with the
    one change made since: the text lowered one character for one ("İ"), where main read no label in such a text."""
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

    at = text.find("@")
    while at != -1:
        start = at
        while start > 0 and at - start < 64 and text[start - 1] in EMAIL_LOCAL_CHARS:
            start -= 1
        domain = EMAIL_DOMAIN_RE.match(text, at + 1)
        if start < at and domain:
            add("email", text[start:domain.end()].lower(), start, domain.end())
        at = text.find("@", at + 1)
    low = N.lowered_aligned(text) if text_lower is None else text_lower
    labels, cued, suffixes = _marks_hyperscan_old(text)
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
    _app_named_old(text, low, add, free)
    for plus in _positions(text, "+"):
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
            if not (w[:1].isupper() or w[:1].isdigit() or w == "&") or w[-1] in ":;：,":
                break  # "Supplier:" or "Example_Lab;" ends the name
            name_words.insert(0, w)
        while name_words and name_words[0].rstrip(":：").lower() in COMPANY_LEADS:
            name_words = name_words[1:]
        if name_words:
            start = text.rfind(name_words[0], line_start, s_start)
            add("company", " ".join(w.lower() for w in name_words + text[s_start:s_end].split()), start, s_end)
    return list(found.values())


CONTACT_PIECES = ["whatsapp", "WhatsApp", "wa", "tg", "telegram", "wechat", "ватсап", "微信", "微信号", "电报", ":", "：",
                  " ", "\t", "\n", "+00 000 000 1791", "+", "@example_shop", "sales@example.com", "@", "Co., Ltd.",
                  "Co.,Ltd", "Co., Limited", "Company Limited", "Ltd", "Ltd.", "Limited", "GmbH", "Inc.", "LLC",
                  "Corp.", "Corporation", "Pvt. Ltd.", "Pvt Ltd", "Corp..", ".", "Example", "Trading", "Supplier:",
                  "From", "&", "x", "Σ", "ΑΣ", "btc", "0x", "usdt", "≥", "é", "ü", "中", "·", "id", "no.", "number", "1",
                  "a", "ä", "İ"]


def contact_texts():
    rng = random.Random(11)
    yield "Supplier: Monterrey Lumbrix Chemical Co., Ltd.\nContact: WhatsApp: +00 000 000 5577; Email: s2@example.com"
    yield "ΑΣ ΒΣ Trading Co., Ltd. ΣΑΣ Corp. Inc.Ltd GmbH·Ltd."
    for _ in range(8000):
        yield "".join(rng.choice(CONTACT_PIECES) if rng.random() < 0.9 else chr(rng.randrange(0x80, 0xD800))
                      for _ in range(rng.randint(1, 18)))
    for row in stored_rows():
        for key in ("title", "text"):
            if isinstance(row.get(key), str) and not any("\ud800" <= c <= "\udfff" for c in row[key]):
                yield row[key]


def test_contacts_answer_as_main():
    """The marks' reading (suffixes without their optional dot, which the reading takes; the nested-suffix test in
    one pass) and the contacts (the company name lowered once joined): the same as main's on cases, generated
    strings and every stored text."""
    companies = 0
    for text in contact_texts():
        assert C._marks_hyperscan(text) == _marks_hyperscan_old(text), repr(text[:200])
        low = text.lower() if text.isascii() else None
        new = C.extract_contacts(text, low)
        assert new == _extract_contacts_old(text, low), repr(text[:200])
        companies += any(c.kind == "company" for c in new)
    assert companies > 1000


@pytest.mark.parametrize("text", [
    "WhatsApp: +00 000 000 5577 \ud800 sales@example.com",
    "Wuhan Exa\udc00mple Trading Co., Ltd. telegram @example_shop",
    "\udfff微信：example123 ≥ 99%",
    "\ud83d",
])
def test_lone_surrogate_read_as_replacement_character(text):
    """A library caller may pass a lone surrogate (Detector.scan replaces them first): the contacts are those of the
    text with each one read as U+FFFD, where extract_contacts raised UnicodeEncodeError."""
    replaced = "".join("\ufffd" if "\ud800" <= c <= "\udfff" else c for c in text)
    assert C.extract_contacts(text) == C.extract_contacts(replaced)
    assert C.extract_contacts(text) == _extract_contacts_old(replaced)


def test_remembered_lowering_and_non_ascii_follow_the_string():
    """normalize.lowered and non_ascii keep their last answer for the very same object only: an equal string made
    anew, or another string, is computed afresh."""
    a = "Purity ≥99% ΑΣ Fentanyl"
    b = "".join(["Purity ≥99% ", "ΑΣ Fentanyl"])  # equal, another object
    for f, ref in ((N.lowered, str.lower), (N.non_ascii, lambda t: "".join(c for c in t if not c.isascii()))):
        assert f(a) == ref(a) and f(a) is f(a)
        assert f(b) == ref(b) and f("plain") == ref("plain") and f(a) == ref(a)
    for text in list(texts())[:5000]:
        assert N.lowered(text) == text.lower() and N.lowered(text) == text.lower()


def test_formula_parts_as_main():
    import re

    from detect.smiles import ELEMENT_RE, FORMULA_RE, is_formula

    def is_formula_old(tok):
        if not FORMULA_RE.match(tok):
            return False
        return all(len(els) == len(set(els)) for els in (ELEMENT_RE.findall(p) for p in re.split(r"[.·]", tok)))

    toks = ["C22H28N2O.HCl", "C1CNCCC12OCCO2", "C11H23NO2", "2H2O", "C6H6·C6H6", "CC.CC", "H2O.H2O", "C"]
    rng = random.Random(12)
    toks += ["".join(rng.choice(["C", "H", "N", "O", "Cl", "1", "2", "12", ".", "·", "(", "="])
                     for _ in range(rng.randint(1, 10))) for _ in range(5000)]
    assert [is_formula(t) for t in toks] == [is_formula_old(t) for t in toks]
    assert is_formula("C22H28N2O.HCl") and not is_formula("C1CNCCC12OCCO2")


def test_lowered_as_str_lower():
    """normalize.lowered lowers UTF-8 bytes where every non-ASCII character lowers to itself: the same as str.lower
    on random code points of every plane (capital sigma and its neighbours, dotted capital I, the Kelvin sign,
    lone surrogates, "≥") and every stored text."""
    rng = random.Random(13)
    pieces = ["ΑΣ", "Σ", "σ", "ς", "İ", "\u212a", "≥", "\ud800", "\udfff", "中", "ﬀ", "ẞ", "A", "b", " ", "'", "."]
    cases = ["ΑΣ", "≥ 99% Fentanyl", "\ud800A", "İstanbul", "ΌΣΟΣ ΑΣ."]
    cases += ["".join(rng.choice(pieces) if rng.random() < 0.7 else chr(rng.randrange(0x80, 0x30000))
                      for _ in range(rng.randint(1, 12))) for _ in range(20000)]
    fast = 0
    for text in cases + list(texts()):
        assert N.lowered(text) == text.lower(), repr(text)
        fast += not text.isascii() and all(c.lower() == c for c in set(N.non_ascii(text)))
    assert fast > 1000  # the bytes path is taken
