"""Chinese systematic names, translated morpheme by morpheme into English ones for OPSIN.

"N-[1-(2-苯乙基)-4-哌啶基]-N-苯基丙酰胺" is "N-[1-(2-phenylethyl)-4-piperidinyl]-N-phenylpropanamide": Chinese
nomenclature (CCS 2017) writes locants, N-, brackets and primes as English does and joins morphemes where English
joins words. Around each piperidine anchor (哌啶) the run of name characters is cut into morphemes by longest match
(the table is data: ``detect/data/zh_morphemes.yaml``, each row with its source), translated, and handed to the
engine as a systematic-name candidate: (English name, start, end), where start and end are the Chinese name's
offsets in the text, so the hit shows the Chinese as written. The few places where Chinese word order differs from
English (esters, salts) are handled by the morpheme kinds described in the data file.

A listing without the character every anchor has (啶) costs one single-character search (about 0.3 us).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import yaml

from .config import DATA_DIR, SAFE_LOADER, read_data_yaml

DATA = DATA_DIR / "zh_morphemes.yaml"  # importlib.resources: also from a zipped egg
ASCII_NAME = set("0123456789,'-()[]{}+±NHORSEZ")  # locants, N-/1H-/O-, brackets, primes, (±), (3S,4R), (E)
OPEN, CLOSE = "([{", ")]}"
PAIRS = {")": "(", "]": "[", "}": "{"}
VOWELS = "aeiouy"
UNSATURATED = ("烯", "烷", "炔")  # after a stem these complete it: 丁-2-烯 but-2-ene
MAX_RUN = 300  # characters either side of an anchor
MAX_RUNS = 200  # runs of name characters read per text
# A Latin group written into a Chinese name as its substituent, with its locant ("N-Boc-4-哌啶酮", "1-Cbz-4-哌啶酮",
# "1-N-Boc-4-苯胺基哌啶"): the name is sent with the group as written and OPSIN reads it (Boc, Cbz, Fmoc ...) or
# nothing, so the Chinese part alone (4-哌啶酮, another substance) is never reported for the whole.
GLUED_GROUP_RE = re.compile(r"(?<![A-Za-z0-9])(?:N|\d{1,2})-[A-Za-z]{2,8}$")


@dataclass(frozen=True)
class Morpheme:
    zh: str
    en: str
    kind: str  # ring, prefix, stem, suffix, parent, acid, ester, salt
    yl: str | None = None
    ate: str | None = None
    after_ring: str | None = None
    after_ring_ate: str | None = None
    locant_form: str | None = None
    source: str = ""


@dataclass(frozen=True)
class Table:
    morphemes: dict[str, Morpheme]
    longest: int
    anchors: tuple[str, ...]
    folds: dict[int, str]
    letter_locants: dict[str, str]
    name_chars: frozenset[str]
    sources: dict[str, dict]
    anchor_re: re.Pattern
    gate: str  # a character every anchor contains, tested before anything else


@lru_cache(maxsize=1)
def load_table(path: str | None = None) -> Table:
    global _table
    if path:
        with open(path, encoding="utf-8") as f:
            data = yaml.load(f, Loader=SAFE_LOADER)
    else:
        data = _shipped()
    morphemes = {}
    for row in data["morphemes"]:
        m = Morpheme(**row)
        if m.zh in morphemes:
            raise ValueError(f"zh_morphemes: '{m.zh}' listed twice")
        if m.source not in data["sources"]:
            raise ValueError(f"zh_morphemes: '{m.zh}' cites unknown source {m.source}")
        morphemes[m.zh] = m
    folds = {ord(k): v for k, v in data["folds"].items()}
    if any(len(v) != 1 for v in folds.values()):
        raise ValueError("zh_morphemes: folds must map one character to one")
    chars = {c for k in morphemes for c in k} | ASCII_NAME | set(data["folds"]) | set(data["letter_locants"])
    table = Table(morphemes, max(map(len, morphemes)), tuple(data["anchors"]), folds,
                  dict(data["letter_locants"]), frozenset(chars), data["sources"],
                  re.compile("|".join(map(re.escape, data["anchors"]))),
                  sorted(set.intersection(*(set(a) for a in data["anchors"])))[0])
    if path is None:
        _table = table
    return table


_table: Table | None = None


# --- finding candidate names ---------------------------------------------------------------------------------------
def _tokens(s: str, table: Table) -> list[str | None]:
    """Longest-match tokens of ``s`` (already folded); ASCII characters are tokens of their own; None marks a
    character that starts no morpheme (a break)."""
    out: list[str | None] = []
    i, n = 0, len(s)
    while i < n:
        c = s[i]
        if c in ASCII_NAME or c in table.letter_locants or c == " ":
            out.append(c)
            i += 1
            continue
        if c.isascii() and c.isalpha():  # a Latin group ("Boc"), one token, copied into the English name as written
            j = i + 1
            while j < n and s[j].isascii() and s[j].isalpha():
                j += 1
            out.append(s[i:j])
            i = j
            continue
        for k in range(min(table.longest, n - i), 0, -1):
            if s[i:i + k] in table.morphemes:
                out.append(s[i:i + k])
                i += k
                break
        else:
            out.append(None)
            i += 1
    return out


def _spaces_resolved(toks: list, starts: list[int], table: Table) -> tuple[list, list[int]]:
    """A space inside a name, as copies from PDFs and web pages print it ("N-苯基 丙酰胺", "N- [1-(2-苯乙基)…",
    "…-4-哌啶基] 丙酰胺"): dropped where the name before it cannot end there (an open bracket, a hyphen or comma, a
    substituent prefix or 基, a chain stem), so the name goes on; anywhere else a space ends the name, as before."""
    out, out_starts, piece = [], [], []
    for t, st in zip(toks, starts):
        if t == " ":
            if piece and _cannot_end(piece, table) and out and out[-1] is not None:
                continue  # joined: the name goes on after the space
            t = None
        if t is None:
            piece = []
        else:
            piece.append(t)
        out.append(t)
        out_starts.append(st)
    return out, out_starts


def _cannot_end(piece: list[str], table: Table) -> bool:
    depth = sum(1 if t in OPEN else -1 if t in CLOSE else 0 for t in piece)
    k = len(piece) - 1
    while k > 0 and piece[k] in CLOSE:
        k -= 1  # "…-4-哌啶基]": a bracketed substituent does not end a name either
    last = piece[k]
    m = table.morphemes.get(last)
    return depth > 0 or last in "-,([{" or last == "基" or (m is not None and m.kind in ("prefix", "stem"))


def _balanced(toks: list[str]) -> bool:
    stack = []
    for t in toks:
        if t in OPEN:
            stack.append(t)
        elif t in PAIRS:
            if not stack or stack.pop() != PAIRS[t]:
                return False
    return not stack


def _trim(toks: list[str], table: Table) -> tuple[int, int]:
    """Indices [a, b) of the name inside a run of tokens: no leading suffix, salt or ester word, no dangling
    punctuation or bare locant at either end, brackets balanced."""
    a, b = 0, len(toks)
    morph = table.morphemes
    lead_bad = {"suffix", "salt", "ester", "acid"}
    while a < b and (toks[a] in ",-)]}'+" or (toks[a] in morph and morph[toks[a]].kind in lead_bad)):
        a += 1
    changed = True
    while changed and a < b:
        changed = False
        while b > a and (toks[b - 1] in ",-([{'+±" or toks[b - 1].isdigit() or toks[b - 1] in table.letter_locants
                         or toks[b - 1] in "NHORSEZ"):
            b -= 1
            changed = True
        for _ in range(4):
            if _balanced(toks[a:b]):
                break
            if toks[b - 1] in CLOSE:
                b -= 1
                changed = True
            elif toks[a] in OPEN:
                a += 1
                changed = True
            else:
                break
    while b - a > 2 and toks[a] in OPEN and _closer(toks, a) == b - 1:
        a, b = a + 1, b - 1  # "(N-苯乙基-4-哌啶酮)": the brackets around a whole name are not part of it
    return a, b


def _closer(toks: list[str], i: int) -> int:
    """Index of the bracket that closes the one at ``i`` (-1 if none)."""
    depth = 0
    for j in range(i, len(toks)):
        if toks[j] in OPEN:
            depth += 1
        elif toks[j] in CLOSE:
            depth -= 1
            if depth == 0:
                return j
    return -1


def zh_candidates(text: str, limit: int = 20) -> list[tuple[str, int, int]]:
    """(English name, start, end) for each Chinese systematic name around a piperidine anchor in ``text``."""
    table = _table or load_table()
    if table.gate not in text:  # one character every anchor has (啶): a single-character search, about 0.3 us
        return []
    out: list[tuple[str, int, int]] = []
    seen: set[tuple[int, int]] = set()
    chars = table.name_chars
    run_end, runs = -1, 0
    for found in table.anchor_re.finditer(text):
        pos, length = found.start(), len(found.group())
        if pos < run_end:
            continue  # inside the run already read ("哌啶基哌啶")
        runs += 1
        if runs > MAX_RUNS:
            break  # a page of 100,000 anchors is read around its first ones
        s, e = pos, pos + length
        lo, hi = max(0, s - MAX_RUN), min(len(text), e + MAX_RUN)
        while True:
            while s > lo and (text[s - 1] in chars or (text[s - 1] == " " and s - 1 > lo and text[s - 2] in chars)):
                s -= 1
            group = GLUED_GROUP_RE.search(text, max(lo, s - 12), s) if text[s:s + 1] == "-" else None
            if group is None:
                break
            s = group.start()
        while e < hi and (text[e] in chars or (text[e] == " " and e + 1 < hi and text[e + 1] in chars)):
            e += 1
        while text[s] == " ":
            s += 1
        while text[e - 1] == " ":
            e -= 1
        found_names, run_end = _names_in_run(text, s, e, pos, table)
        for name, a, b in found_names:
            if (a, b) not in seen:
                seen.add((a, b))
                out.append((name, a, b))
        if len(out) >= limit:
            break
    return out[:limit]


def _names_in_run(text: str, s: int, e: int, anchor: int, table: Table) -> tuple[list[tuple[str, int, int]], int]:
    """The names read in the segment of the run that holds the anchor, and where that segment ends (an anchor after
    it, past a space that ended the name, starts a run of its own)."""
    run = text[s:e].translate(table.folds)
    toks = _tokens(run, table)
    # token start offsets in the text
    starts, off = [], s
    for t in toks:
        starts.append(off)
        off += len(t) if t is not None else 1
    if " " in toks:
        toks, starts = _spaces_resolved(toks, starts, table)
    # the segment between breaks that holds the anchor
    lo = max((i + 1 for i, t in enumerate(toks) if t is None and starts[i] < anchor), default=0)
    hi = min((i for i, t in enumerate(toks) if t is None and starts[i] > anchor), default=len(toks))
    seg, seg_starts = toks[lo:hi], starts[lo:hi]
    seg_end = starts[hi] if hi < len(toks) else e
    a, b = _trim(seg, table)
    if b <= a or not _balanced(seg[a:b]):
        return [], seg_end  # nothing left, or a name cut by a morpheme the table lacks
    end_of = (lambda i: seg_starts[i] + len(seg[i]))
    found = []
    english = translate_tokens(seg[a:b], table)
    if english:
        found.append((english, seg_starts[a], end_of(b - 1)))
    # prose characters that are also morphemes ("一", "对") can lead the run: also offer the name from its first
    # ASCII token ("N-", "4-", "(")
    first = next((i for i in range(a, b) if seg[i] in ASCII_NAME), None)
    # only where a name can start ("N-", "4-", "("): after ")" or "-" the Chinese before it is part of the name
    if first is not None and first > a and (seg[first].isalnum() or seg[first] in OPEN):
        a2, b2 = _trim(seg[first:b], table)
        a2, b2 = a2 + first, b2 + first
        if b2 > a2 and _balanced(seg[a2:b2]):
            english = translate_tokens(seg[a2:b2], table)
            if english:
                found.append((english, seg_starts[a2], end_of(b2 - 1)))
    return found, seg_end


# --- translation -----------------------------------------------------------------------------------------------------
def _prev_morpheme(toks: list[str], i: int, table: Table) -> Morpheme | None:
    """The morpheme before token i, skipping a locant written between them ("呋喃-2-甲酰胺")."""
    j = i - 1
    while j >= 0 and toks[j] not in table.morphemes and (toks[j] in "-,'" or toks[j].isdigit()):
        j -= 1
    return table.morphemes.get(toks[j]) if j >= 0 else None


def _next_morpheme(toks: list[str], i: int, table: Table) -> Morpheme | None:
    """The morpheme after token i, skipping a locant ("戊-2-醇")."""
    j = i + 1
    while j < len(toks) and toks[j] not in table.morphemes and (toks[j] in "-,'" or toks[j].isdigit()):
        j += 1
    return table.morphemes.get(toks[j]) if j < len(toks) else None


def translate_tokens(toks: list[str], table: Table) -> str | None:
    out: list[str] = []
    ester: str | None = None
    salts: list[str] = []
    morph = table.morphemes
    n = len(toks)
    ester_at = max((i for i, t in enumerate(toks) if t in morph and morph[t].kind == "ester"), default=-1)
    skip = False
    for i, t in enumerate(toks):
        if skip:
            skip = False
            continue
        m = morph.get(t)
        if m is None:  # ASCII
            prev = toks[i - 1] if i else ""
            nxt = toks[i + 1] if i + 1 < n else ""
            if t in table.letter_locants and (not prev or prev in OPEN) and nxt == "-":
                t = table.letter_locants[t]
            if salts or ester:
                return None  # a name does not go on after its salt or ester word
            out.append(t)
            continue
        if m.kind == "salt":
            salts.append(m.en)
            continue
        if m.kind == "ester":
            if ester or salts:
                return None
            ester = m.en
            continue
        if salts or ester:
            return None
        nxt = toks[i + 1] if i + 1 < n else ""
        prev = _prev_morpheme(toks, i, table)
        after_ring = prev is not None and prev.kind == "ring"
        ester_follows = ester_at > i
        if m.kind == "ring":
            # "2-(2-噻吩)乙基": the substituent form where 基 is left out before a closing bracket; "噻吩基"
            en = m.yl if nxt and (nxt in CLOSE or nxt == "基") and m.yl else m.en
            skip = nxt == "基" and bool(m.yl)
            if m.yl and _substituent_before_chain(toks, i, table):
                en = m.yl  # "N-苯丙酰胺" N-phenylpropanamide, "3-苯丙酸" 3-phenylpropanoic acid: 基 left out
        elif m.kind == "acid":
            if after_ring and m.after_ring:
                en = m.after_ring_ate if ester_follows else m.after_ring
            else:
                en = m.ate if ester_follows else m.en
        elif m.kind == "parent" and after_ring and m.after_ring:
            en = m.after_ring
        elif m.kind == "stem":
            nm = _next_morpheme(toks, i, table)
            en = m.en + "an" if nm is None or (nm.kind == "suffix" and nm.zh not in UNSATURATED) else m.en
        elif m.locant_form and i >= 2 and toks[i - 1] == "-" and toks[i - 2].isdigit() and (
                toks[i - 2] == "2" or (nxt and nxt in CLOSE)):
            en = m.locant_form  # "2-苯乙基" 2-phenylethyl, "(1-苯乙基)" 1-phenylethyl
        else:
            en = m.en
        if m.kind in ("suffix", "parent", "acid") and en[0] in VOWELS:
            _elide(out)
        out.append(en)
    if not out:
        return None
    name = "".join(out)
    if ester:
        name = f"{ester} {name}"
    if salts:
        name = " ".join([name, *salts])
    return name


def _substituent_before_chain(toks: list[str], i: int, table: Table) -> bool:
    """A ring written right after its own locant ("N-", "3-", "4'-") and right before an acyclic parent, acid or chain
    stem is a substituent with 基 left out: "N-苯丙酰胺" is N-phenylpropanamide (a locant never goes before the ring of
    a conjunctive name such as 苯丙酸 benzenepropanoic acid)."""
    if i < 2 or toks[i - 1] != "-" or not (toks[i - 2] == "N" or toks[i - 2].isdigit() or toks[i - 2] == "'"):
        return False
    nm = table.morphemes.get(toks[i + 1]) if i + 1 < len(toks) else None
    return nm is not None and nm.kind in ("parent", "acid", "stem")


def _elide(out: list[str]) -> None:
    """Drop the final "e" of the parent before a suffix that starts with a vowel: piperidine + -4- + one."""
    j = len(out) - 1
    while j >= 0 and (out[j] in "-,'" or out[j].isdigit()):
        j -= 1
    if j >= 0 and out[j].endswith("e") and len(out[j]) > 2:
        out[j] = out[j][:-1]


@lru_cache(maxsize=1)
def _shipped() -> dict:
    """The shipped morpheme file, parsed once for the table and the stem variants."""
    return read_data_yaml(DATA.name)


@lru_cache(maxsize=1)
def _variants() -> tuple[tuple[str, str], ...]:
    data = _shipped()
    pairs = tuple((k, v["as"]) for k, v in (data.get("stem_variants") or {}).items())
    if any(len(k) != len(v) for k, v in pairs):
        raise ValueError("zh_morphemes: a stem variant and its standard form must be as long (offsets are kept)")
    return pairs


def fold_stem_variants(text: str) -> str:
    """Regional spellings of a drug-name stem written as the mainland one, character for character: Taiwan writes the
    fentanyl stem 吩坦尼 (檸檬酸吩坦尼, 瑞吩坦尼) where the mainland writes 芬太尼, so every Chinese name and rule built on 芬太尼
    reads both. Same length, so offsets into the text do not move."""
    for variant, standard in _variants():
        if variant in text:
            text = text.replace(variant, standard)
    return text


@lru_cache(maxsize=1)
def _glued_chars() -> tuple[frozenset[str], frozenset[str]]:
    """Characters of the nomenclature morphemes that make a glued prefix (``glued_prefix_kinds``), and the ones that
    are also ordinary words before a noun (``ordinary_before_stem``)."""
    data = _shipped()
    kinds = set(data.get("glued_prefix_kinds", ()))
    chars = {c for row in data["morphemes"] if row["kind"] in kinds for c in row["zh"] if is_han(c)}
    return frozenset(chars), frozenset(data.get("ordinary_before_stem", ()))


def is_han(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff"


def glued_prefix_start(text: str, stem_start: int) -> int | None:
    """Start of the nomenclature characters glued before a Chinese stem at ``stem_start`` ("庚酰芬太尼" -> 0), with
    the locants, primes and brackets among them ("4-氟丁酰"); None when the character before the stem is no
    nomenclature morpheme's (a word such as 销售 "sell"), is an ordinary word (对), or ends a salt (枸橼酸)."""
    chars, ordinary = _glued_chars()
    i = stem_start
    if i == 0 or text[i - 1] not in chars or text[i - 1] in ordinary or text[i - 1] == "酸":
        return None
    while i > 0 and (text[i - 1] in chars or text[i - 1] in "0123456789,'-()[]αβ"):
        i -= 1
    while i < stem_start and not is_han(text[i]) and not text[i].isdigit() and text[i] not in "αβ":
        i += 1  # a bracket or hyphen that opens the run belongs to the text around it
    return i


def translate(name: str) -> str | None:
    """The English systematic name for one Chinese systematic name (None if a character is not in the table)."""
    table = load_table()
    toks = _tokens(name.translate(table.folds), table)
    if " " in toks:
        toks, _ = _spaces_resolved(toks, list(range(len(toks))), table)
    if any(t is None for t in toks):
        return None
    return translate_tokens(toks, table)
