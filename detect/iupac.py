"""Candidate systematic (IUPAC) names for OPSIN.

Every fentanyl-class substance and every controlled precursor contains a piperidine ring, so a systematic name of
one contains "piperid" (piperidine, piperidin-4-yl, piperidinyl, piperidone); ring-changed analogs have the other
morphemes in ``MORPHEMES``. Around each occurrence the maximal
run of name characters is taken, with a preceding ester word ("tert-butyl 4-...") or a following salt word
("... hydrochloride"), and offered to OPSIN.
"""

from __future__ import annotations

import re
import unicodedata

# Ring-changed fentanyl analogs have no piperidine (the azepane, the 8-azabicyclo[3.2.1]octane of the tropane
# analogs, the opened ring of "secofentanyl": its tertiary amine carries the 2-phenylethyl group); their names are
# found by these morphemes too (detect/data/family_rules.yaml reads their structures).
MORPHEMES = ("piperid", "azepan", "azabicyclo", "phenylethyl)amino", "phenethyl)amino", "phenethylamino")
MORPHEME_RE = re.compile("|".join(re.escape(m) for m in MORPHEMES), re.IGNORECASE)
# the same on lowercased ASCII text, where it finds the same spans about three times faster (re gives up its prefix
# scan under IGNORECASE); on other text IGNORECASE also folds "ſ", "K" (Kelvin) and dotted or dotless i
MORPHEME_LOWER_RE = re.compile("|".join(re.escape(m.lower()) for m in MORPHEMES))


def has_morpheme(text: str) -> bool:
    """Whether the text may hold a candidate name: plain substring tests, several times cheaper per listing than a
    case-insensitive regular expression (every listing that reaches the structure step pays this)."""
    low = text.lower()
    if not text.isascii() and _LATIN_BASE_RE.search(low):
        low = low.translate(_LATIN_BASE)
    return any(m in low for m in MORPHEMES)


def _latin_bases() -> dict[int, str]:
    """Latin letters with diacritics and their base letter, case kept: French, Spanish and Hungarian systematic names
    ("N-[3-méthyl-1-(2-phényléthyl)pipéridin-4-yl]...", "...-propánamid") are read as the letters they are built
    on; one character for one, so the candidates keep their offsets."""
    table = {}
    for cp in (*range(0xC0, 0x250), *range(0x1E00, 0x1F00)):
        d = unicodedata.normalize("NFD", chr(cp))
        if len(d) > 1 and d[0].isascii() and d[0].isalpha() and all(unicodedata.combining(c) for c in d[1:]):
            table[cp] = d[0]
    return table


_LATIN_BASE = _latin_bases()
_LATIN_BASE_RE = re.compile("[" + "".join(map(chr, _LATIN_BASE)) + "]")  # a search first: most text has none
NAME_CLASS = r"[A-Za-z0-9,'′()\[\]{}\-+]"  # a character of a systematic name
NAME_CHARS = re.compile(NAME_CLASS)
ESTER_ALKYL = (r"((?:tert-|sec-|iso|n-)?(?:methyl|ethyl|propyl|butyl|benzyl|phenyl|isopropyl|tert-butyl|allyl|pentyl|"
               r"hexyl|1,1-dimethylethyl|1-methylethyl|phenylmethyl|metil|etil|propil|butil|bencil))")
# the alcohol part of an ester name ("tert-butyl 4-oxopiperidine-1-carboxylate"); then CAS index spellings, then
# Spanish and Portuguese ones (detect/name_repairs.py reads them: "Metil ...-carboxilato")
ESTER_WORD_RE = re.compile(rf"(?:^|\s){ESTER_ALKYL}\s$", re.IGNORECASE)
SALT_WORDS = ("hydrochloride", "hydrobromide", "citrate", "oxalate", "sulfate", "tartrate", "fumarate", "maleate",
              "phosphate", "mesylate")  # the salt words of systematic names (detect/engine.py reads "its salts" by them)
# "... hydrochloride", and the CAS index forms "..., monohydrochloride, monohydrate", "... acid, 2,2,2-trifluoroacetate"
# (OPSIN reads them all, and the salt in the matched text makes a precursor hit say "its salts")
SALT_WORD_RE = re.compile(rf"^,?\s((?:mono|di|hemi)?(?:{'|'.join(('hydrate', '2,2,2-trifluoroacetate', 'trifluoroacetate') + SALT_WORDS)})"
                          rf"(?:,?\s(?:mono|di|hemi)?hydrate)?)\b", re.IGNORECASE)
PAIRS = {")": "(", "]": "[", "}": "{"}
# CAS index names put the parent first and the substituents after a comma, ending in a hyphen ("Propanamide,
# N-phenyl-N-[1-(2-phenylethyl)-4-piperidinyl]-"); OPSIN reads them whole. The parent heading before a run that ends
# in "-", and the substituents after a heading run that ends in ",".
CAS_HEADING_RE = re.compile(r"(?:^|(?<=[\s:>\"']))([0-9]*[,\-]?[A-Za-z][A-Za-z0-9\-]*), $")
CAS_INVERTED_RE = re.compile(rf"^, ({NAME_CLASS}+-)(?![A-Za-z0-9])")
# (and without the comma: "...-4-piperidine-carboxylic acid methyl ester", a machine translation of a CAS name)
CAS_ESTER_RE = re.compile(rf"^ acid,? {ESTER_ALKYL} ester\b", re.IGNORECASE)
# A word that ends the name after a space: "...-1-piperidinepropanoic acid", a ring parent's suffix written apart
# ("...-N-phenylcyclopentane carboxamide", read by detect/name_repairs.py).
SUFFIX_WORD_RE = re.compile(r"^ (acid|carboxamide|carboxylate|carboxylic acid|carbonitrile)\b(?!,? \w+ ester)",
                            re.IGNORECASE)
# Fusion locants hold a colon ("benzo[1,2-b:4,5-b']difuran"): a colon between them is a name character.
FUSION_COLON_RE = re.compile(r"(?<=\d,\d-[a-z])'*:(?=\d)|(?<=\d,\d-[a-z]'):(?=\d)")
# After a closing bracket and a space, only a lowercase word that ends like a name goes with the name ("...-4-yl]
# cyclopropanecarboxamide"), not "(N-phenethyl-4-piperidone) with"; an anilide as Britannica and its translations
# write it ("N-(1-phenethyl-4-piperidyl) propionanilide", Portuguese "propionanilida", German "propionanilid").
NAME_END_RE = re.compile(r"[a-z][A-Za-z0-9,'()\[\]{}\-]*(?:amide|amine|ate|one|ol|ane|ene|ine|ile|yl|anilid[ea]?)")
# Von Baeyer descriptors hold dots ("8-azabicyclo[3.2.1]octan-3-yl"): a dot inside one is a name character.
VON_BAEYER_RE = re.compile(r"\[\d{1,2}\.\d{1,2}\.\d{1,2}\]")


def _name_dot(text: str, i: int) -> bool:
    """Whether the "." at ``text[i]`` sits in a von Baeyer descriptor."""
    if text[i] != ".":
        return False
    j = text.rfind("[", max(0, i - 6), i)
    return j >= 0 and (m := VON_BAEYER_RE.match(text, j)) is not None and m.end() > i


def _balanced(s: str) -> bool:
    stack = []
    for ch in s:
        if ch in "([{":
            stack.append(ch)
        elif ch in PAIRS:
            if not stack or stack.pop() != PAIRS[ch]:
                return False
    return not stack


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in ",'-+":
        start += 1
    while end > start and text[end - 1] in ",'-+":
        end -= 1
    # drop wrapping punctuation that is not part of the name: "(tert-butyl ...)" or "name)"
    for _ in range(4):
        s = text[start:end]
        if _balanced(s):
            break
        if s and s[-1] in ")]}":
            end -= 1
        elif s and s[0] in "([{":
            start += 1
        else:
            break
    return start, end


def iupac_candidates(text: str, limit: int = 50, window: int = 400) -> list[tuple[str, int, int]]:
    """Candidate names around each morpheme ("piperid" ...), each at most ``window`` characters either side of it."""
    if not text.isascii() and _LATIN_BASE_RE.search(text):
        text = text.translate(_LATIN_BASE)
    out, seen = [], set()
    run_end = -1
    found = MORPHEME_LOWER_RE.finditer(text.lower()) if text.isascii() else MORPHEME_RE.finditer(text)
    for m in found:
        if m.start() < run_end:
            continue  # inside the run of name characters already taken ("piperidinylpiperidine" or a hostile repeat)
        start, end = m.start(), m.end()
        lo, hi = max(0, start - window), min(len(text), end + window)
        start, end = _run(text, start, end, lo, hi)
        # a space typed after a hyphen ("N-phenyl- N-[1-...]"): the name as written, across the space, goes to
        # OPSIN beside the part around "piperid"; detect/name_repairs.py reads it if OPSIN does not
        js, je = start, end
        # a space after a closing bracket, from a line break ("N-[1-(2-phenylethyl) piperidin-4-yl]...",
        # "...piperidin-4-yl] cyclopropanecarboxamide") the same way
        while js - 2 > lo and text[js - 1] == " " and (text[js - 2] == "-" and NAME_CHARS.match(text[js - 3])
                                                       or text[js - 2] in ")]}"):
            js = _run(text, js - 2, js - 2, lo, hi)[0]
            # and a space typed before that hyphen too ("N - phenyl- N- [1-...", a copied page's spacing)
            if js - 2 > lo and text[js] == "-" and text[js - 1] == " " and NAME_CHARS.match(text[js - 2]):
                js = _run(text, js - 2, js - 2, lo, hi)[0]
        # a hyphen with a space either side, as a copied CAS name spaces it out ("4 - [(1-oxopropyl) phenylamino] -1-
        # (2-phenylethyl) -4-piperidine-carboxylic acid methyl ester")
        while js - 4 >= lo and text[js - 3:js] == " - " and text[js - 4].isdigit() \
                and (js - 4 == lo or not NAME_CHARS.match(text[js - 5])):
            js -= 4
        while je + 1 < hi and text[je] == " " and NAME_CHARS.match(text[je + 1]):
            nxt = _run(text, je + 1, je + 1, lo, hi)[1]
            if not (text[je - 1] == "-" or text[je - 1] in ")]}" and NAME_END_RE.fullmatch(text[je + 1:nxt].rstrip(",'-+"))):
                break
            je = nxt
        ester = CAS_ESTER_RE.match(text[je:je + 40]) if (js, je) != (start, end) else None
        je += ester.end() if ester else 0  # "... -4-piperidine-carboxylic acid methyl ester" across the spaces
        run_end = max(end, je)
        if (js, je) != (start, end):
            s1, e1 = _trim(text, js, je)
            if (s1, e1) not in seen:
                seen.add((s1, e1))
                out.append((text[s1:e1], s1, e1))
        cas = _cas_index_name(text, start, end)
        if cas and cas[1:] not in seen:
            seen.add(cas[1:])
            out.append(cas)
        start, end = _trim(text, start, end)
        if (start, end) in seen:
            continue
        seen.add((start, end))
        suffix = SUFFIX_WORD_RE.match(text[end:end + 30]) if not cas else None
        e0 = end + suffix.end() if suffix else end
        salt = SALT_WORD_RE.match(text[e0:e0 + 45])
        e0 += salt.end() if salt else 0
        ester = ESTER_WORD_RE.search(text[max(0, start - 20):start])
        s0 = start - (len(ester.group(1)) + 1) if ester else start
        out.append((text[s0:e0], s0, e0))
        if (s0, e0) != (start, end):
            out.append((text[start:end], start, end))
        if len(out) >= limit:
            break
    return out


NAME_SET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789,'′()[]{}-+")  # NAME_CLASS's
NAME_RUN_RE = re.compile(NAME_CLASS + "*")


def _run(text: str, start: int, end: int, lo: int, hi: int) -> tuple[int, int]:
    """The maximal run of name characters around ``text[start:end]`` within ``[lo, hi)``: back one character at a
    time (a set lookup before the colon and dot tests), forward over whole runs of NAME_CLASS (tests/test_positive_forms.py
    compares it with the one-character walk)."""
    while start > lo and (text[start - 1] in NAME_SET or FUSION_COLON_RE.match(text, start - 1)
                          or _name_dot(text, start - 1)):
        start -= 1
    while end < hi:
        end = NAME_RUN_RE.match(text, end, hi).end()
        if end < hi and (FUSION_COLON_RE.match(text, end) or _name_dot(text, end)):
            end += 1
        else:
            break
    return start, end


def _cas_index_name(text: str, start: int, end: int) -> tuple[str, int, int] | None:
    """The whole CAS index name around the run ``text[start:end]`` (untrimmed), or None: "<Parent>, <run ending in
    ->", "<run: Parent,> <substituents->", or "<run> acid, <alkyl> ester"."""
    e = end
    while e > start and text[e - 1] == ",":  # "...-4-piperidinyl]-, 99%"
        e -= 1
    if e > start and text[e - 1] == "-":
        head = CAS_HEADING_RE.search(text[max(0, start - 60):start])
        if head:
            s0 = start - (len(head.group(0)))
            return text[s0:e], s0, e
    if end > start and text[end - 1] == ",":
        tail = CAS_INVERTED_RE.match(text[end - 1:end + 400])
        if tail:
            e0 = end - 1 + tail.end()
            return text[start:e0], start, e0
    ester = CAS_ESTER_RE.match(text[end:end + 40])
    if ester:
        e0 = end + ester.end()
        return text[start:e0], start, e0
    return None
