"""Cyrillic, Armenian, Arabic-script, Hangul, Thai and Devanagari words read as Latin letters (``data/transliteration.yaml``), for the
words view.

Only words that still hold a Cyrillic or Armenian letter after the norm view's homoglyph folding are read: a Latin
name with Cyrillic look-alikes ("fеntаnyl") is already Latin there and is left alone. Inside such a word every
character that came from a Cyrillic or Armenian letter is read from the original letter ("Рапітен": the folded
"p" is read back as р -> r), so "Алфента" is "alfenta" and "Ֆենտանիլ" is "fentanil". Latin letters typed into the
word stay as they are. A text without these scripts costs one ``isascii`` or one regex search.

Persian, Arabic and Korean (session 7): letters as the UN and Revised Romanization tables write them, the fentanyl stem
as those scripts spell it read as one piece ("فنتانیل", "펜타닐" -> "fentanil": letter by letter it is "fntanil",
"pentanil"), and a word written apart just before the stem word read glued to it, as the prefix it is ("کار فنتانیل",
"시클로 펜틸 펜타닐"): the parser then reads the whole name or says it did not, never the bare stem's substance.

Thai and Devanagari (session 7, s7-scripts2): RTGS and ISO 15919 letters, read with the vowel signs that belong to a
letter (``_abugida``), the stem as those scripts spell it as one piece. A stem in these four scripts inside a word that
goes on with letters no table reads is a name read only in part (``unread_letters_after``).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .config import read_data_yaml

# Cyrillic, Armenian, Arabic, Devanagari, Thai, Hangul
SCRIPT_RE = re.compile("[\u0400-\u04ff\u0530-\u058f\u0600-\u06ff\u0900-\u097f\u0e00-\u0e7f\uac00-\ud7a3]")
# a word: letters, and the vowel signs and marks of Devanagari and Thai (not letters to Python's \w)
_WORD_RE = re.compile(r"(?:[^\W\d_]|[\u0900-\u097f\u0e00-\u0e7f])*"
                      r"[\u0400-\u04ff\u0530-\u058f\u0600-\u06ff\u0900-\u097f\u0e00-\u0e7f\uac00-\ud7a3]"
                      r"(?:[^\W\d_]|[\u0900-\u097f\u0e00-\u0e7f])*")
_HANGUL = (0xAC00, 0xD7A3)


@lru_cache(maxsize=1)
def tables() -> dict:
    return read_data_yaml("transliteration.yaml")


@lru_cache(maxsize=1)
def letter_table() -> dict[str, str]:
    """Every single letter of both scripts (lowercase) -> Latin."""
    t = tables()
    return {k: v for k, v in {**t["cyrillic"], **t["armenian"], **t["arabic"]}.items() if len(k) == 1}


@lru_cache(maxsize=1)
def _digraphs() -> dict[str, str]:
    t = tables()
    return {k: v for k, v in {**t["cyrillic"], **t["armenian"]}.items() if len(k) > 1}


@lru_cache(maxsize=1)
def _pieces() -> tuple[dict[str, str], tuple[int, ...]]:
    """The stem as other scripts spell it, read as one piece (data: ``pieces``), and the piece lengths, longest first."""
    pieces = {**tables().get("pieces", {}), **tables().get("script_pieces", {})}
    return pieces, tuple(sorted({len(k) for k in pieces}, reverse=True))


def _hangul(ch: str) -> str | None:
    """A Hangul syllable read by its letters (Revised Romanization, without sound changes), or None."""
    cp = ord(ch)
    if not _HANGUL[0] <= cp <= _HANGUL[1]:
        return None
    h = tables()["hangul"]
    s = cp - _HANGUL[0]
    return h["initial"][s // 588] + h["vowel"][(s % 588) // 28] + h["final"][s % 28]


_JAMO_INITIAL = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_JAMO_VOWEL = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
_JAMO_FINAL = ["", "ㄱ", "ㄲ", "ㄳ", "ㄴ", "ㄵ", "ㄶ", "ㄷ", "ㄹ", "ㄺ", "ㄻ", "ㄼ", "ㄽ", "ㄾ", "ㄿ", "ㅀ", "ㅁ", "ㅂ",
               "ㅄ", "ㅅ", "ㅆ", "ㅇ", "ㅈ", "ㅊ", "ㅋ", "ㅌ", "ㅍ", "ㅎ"]


@lru_cache(maxsize=1)
def _loanword_names() -> tuple[dict[str, tuple[str, str]], frozenset[str]]:
    """Lexicon names as Hangul loanwords can spell them (letters only, lowercase) -> (substance id, the name as the
    words view writes it), where the letters belong to one substance; and every prefix of those letter strings (the reading's search
    stops at a prefix no name has)."""
    from lexicon import load_lexicon  # only once a Hangul word comes: most texts never load it here

    least = tables()["hangul_loanwords"]["min_letters"]
    owners: dict[str, set[str]] = {}
    written: dict[str, str] = {}
    for sub in load_lexicon().substances:
        for n in sub.all_names():
            letters = re.sub(r"[ -]", "", n.text.lower())
            if len(letters) >= least and letters.isascii() and letters.isalpha():
                owners.setdefault(letters, set()).add(sub.id)
                written.setdefault(letters, n.text.lower())
    names = {k: (next(iter(ids)), written[k]) for k, ids in owners.items() if len(ids) == 1}
    return names, frozenset(k[:i] for k in names for i in range(1, len(k) + 1))


@lru_cache(maxsize=1024)
def loanword(word: str) -> str | None:
    """A Hangul word read by the loanword rules (data: ``hangul_loanwords``) as a lexicon name of one substance,
    written as the lexicon writes it; None when no reading is one, or readings are names of two substances."""
    t = tables()["hangul_loanwords"]
    if len(word) < t["min_syllables"] or any(_hangul(ch) is None for ch in word):
        return None
    names, prefixes = _loanword_names()
    jamo = []
    for ch in word:
        s = ord(ch) - _HANGUL[0]
        parts = (t["initial"].get(_JAMO_INITIAL[s // 588]), t["vowel"].get(_JAMO_VOWEL[(s % 588) // 28]),
                 t["final"].get(_JAMO_FINAL[s % 28]))
        if None in parts:  # a letter loanwords do not use (ㄲ, ㅢ, a double final): not read as one
            return None
        jamo += parts
    found: dict[str, str] = {}  # substance id -> the first name read
    stack = [(0, "")]
    while stack and len(found) < 2:
        i, so_far = stack.pop()
        if i == len(jamo):
            for n in (so_far, so_far + "e"):
                if n in names:
                    found.setdefault(*names[n])
            continue
        stack += [(i + 1, so_far + x) for x in jamo[i] if not (so_far + x) or so_far + x in prefixes]
    return next(iter(found.values())) if len(found) == 1 else None


def _script_of(ch: str) -> str:
    cp = ord(ch)
    if 0x0600 <= cp <= 0x06FF:
        return "arabic"
    if _HANGUL[0] <= cp <= _HANGUL[1]:
        return "hangul"
    if 0x0900 <= cp <= 0x097F:
        return "devanagari"
    if 0x0E00 <= cp <= 0x0E7F:
        return "thai"
    return ""


def _abugida(text: str, j: int) -> tuple[str, int] | None:
    """The Thai or Devanagari letter at ``text[j]`` with the signs that belong to it (data: ``thai``, ``devanagari``),
    read as Latin, and how many characters that took; None for a character of neither script."""
    cp = ord(text[j])
    t = tables()
    nxt = text[j + 1] if j + 1 < len(text) else ""
    if 0x0E00 <= cp <= 0x0E7F:
        thai = t["thai"]
        if nxt == "\u0e4c":  # thanthakhat: the letter before it is not read
            return "", 2
        lead = t["thai_leading_vowels"].get(text[j])
        if lead is not None and nxt in thai:  # a vowel written before its consonant, read after it
            after = text[j + 2] if j + 2 < len(text) else ""
            if after == "\u0e4c":
                return lead, 3
            return ("" if nxt == "\u0e2d" else thai[nxt]) + lead, 2
        if text[j] == "\u0e2d" and 0x0E30 <= ord(nxt or " ") <= 0x0E39:  # อ only carrying the vowel sign after it
            return thai[nxt], 2
        return thai.get(text[j], text[j]), 1
    if 0x0900 <= cp <= 0x097F:
        deva, signs = t["devanagari"], t["devanagari_signs"]
        letter, k = text[j], j + 1
        if letter in t["devanagari_nukta"] and nxt == "\u093c":
            base, k = t["devanagari_nukta"][letter], k + 1
        elif letter in deva:
            base = deva[letter]
        else:
            return signs.get(letter, "" if letter == "\u093c" else letter), 1
        if not 0x0915 <= ord(letter) <= 0x0939 and letter != "\u0933":  # a vowel or a mark: no inherent vowel
            return base, k - j
        sign = text[k] if k < len(text) else ""
        if sign in signs:
            return base + signs[sign], k + 1 - j
        return base + "a", k - j
    return None


def _glued(text: str, original: str, index: list[int] | None) -> tuple[str, list[int] | None]:
    """In scripts that write a prefix as a word of its own (data: ``glued_scripts``), the space between a word and the
    stem word right after it dropped: "استیل فنتانیل" (acetyl fentanyl) is read as one word."""
    pieces, _ = _pieces()
    glued = set(tables().get("glued_scripts", ()))
    starts = [m.start() for p in pieces if _script_of(p[0]) in glued for m in re.finditer(re.escape(p), text)]
    drop = {st - 1 for st in starts if st > 1 and text[st - 1] == " " and _script_of(text[st - 2]) in glued}
    if not drop:
        return text, index
    keep = [j for j in range(len(text)) if j not in drop]
    return "".join(text[j] for j in keep), [index[j] if index is not None else j for j in keep]


def has_script(text: str) -> bool:
    return not text.isascii() and SCRIPT_RE.search(text) is not None


def transliterate(text: str, original: str, index: list[int] | None) -> tuple[str, list[int] | None]:
    """``text`` (lowercased, character i from ``original[index[i]]``, or ``original[i]`` when ``index`` is None)
    with its Cyrillic and Armenian words read as Latin, and the new index into ``original``."""
    letters, digraphs = letter_table(), _digraphs()
    pieces, piece_lengths = _pieces()
    firsts = {p[0] for p in pieces}
    text, index = _glued(text, original, index)
    out: list[str] = []
    new_index: list[int] = []
    pos = 0
    for m in _WORD_RE.finditer(text):
        for j in range(pos, m.start()):
            out.append(text[j])
            new_index.append(index[j] if index is not None else j)
        j = m.start()
        read_whole = loanword(m.group()) if _script_of(text[j]) == "hangul" else None
        if read_whole is not None:  # a whole Hangul word that spells a lexicon name
            out.append(read_whole)
            src = [index[k] if index is not None else k for k in range(m.start(), m.end())]
            new_index += [src[min(k * len(src) // len(read_whole), len(src) - 1)] for k in range(len(read_whole) - 1)]
            new_index.append(src[-1])
            j = m.end()
        while j < m.end():
            src = index[j] if index is not None else j
            pair = text[j:j + 2]
            piece = next((text[j:j + n] for n in piece_lengths if text[j:j + n] in pieces), None) \
                if text[j] in firsts else None
            if piece is not None:
                read, step = pieces[piece], len(piece)
            elif len(pair) == 2 and pair in digraphs:
                read, step = digraphs[pair], 2
            elif (syllable := _hangul(text[j])) is not None:
                read, step = syllable, 1
            elif (abugida := _abugida(text, j)) is not None:
                read, step = abugida
            else:
                orig = original[src].lower() if src < len(original) else text[j]
                read, step = letters.get(orig, letters.get(text[j], text[j])), 1
            out.append(read)
            if piece is not None:  # the piece's last letter from its last character: a span covers the whole piece
                new_index += [src] * (len(read) - 1) + [index[j + step - 1] if index is not None else j + step - 1]
            else:
                new_index += [src] * len(read)
            j += step
        pos = m.end()
    for j in range(pos, len(text)):
        out.append(text[j])
        new_index.append(index[j] if index is not None else j)
    return "".join(out), new_index


_STEM_SCRIPTS_RE = re.compile("[\u0600-\u06ff\u0900-\u097f\u0e00-\u0e7f\uac00-\ud7a3]")  # Arabic, Devanagari, Thai, Hangul
_ARABIC_MARKS = re.compile("[\u0640\u064b-\u065f\u0670]")  # tatweel and the vowel marks: not letters of the name


@lru_cache(maxsize=1)
def _readable() -> frozenset[str]:
    t = tables()
    chars = set(letter_table()) | {c for p in _pieces()[0] for c in p}
    for key in ("thai", "thai_leading_vowels", "devanagari", "devanagari_signs", "devanagari_nukta"):
        chars |= set(t.get(key, {}))
    return frozenset(chars | {"\u093c"})


def _unread(ch: str) -> bool:
    """A letter (or a Thai or Devanagari sign) that no table here reads and that is no Latin letter."""
    if ch.isascii() or ch in _readable() or _hangul(ch) is not None or _ARABIC_MARKS.match(ch):
        return False
    cat = unicodedata.category(ch)
    if cat[0] == "M":
        return _script_of(ch) in ("thai", "devanagari")
    return cat[0] == "L" and not unicodedata.name(ch, "").startswith("LATIN")


def unread_letters_after(original: str, start: int, end: int) -> bool:
    """A name read from ``original[start:end]`` whose stem is written in Arabic script, Hangul, Thai or Devanagari, and
    whose word goes on after it with letters no table reads ("فنتانیلٹ"): the parser read only part of the word, so
    the name is an unresolved fentanyl-family name, not the part's structure. Letters no table reads before the stem
    already keep the parser from reading the word."""
    if end >= len(original) or original[end].isascii() or not _STEM_SCRIPTS_RE.search(original, start, end):
        return False
    j = end
    while j < len(original) and (_WORD_RE.match(original[j]) or unicodedata.category(original[j])[0] in "LM"):
        if _unread(original[j]):
            return True
        j += 1
    return False
