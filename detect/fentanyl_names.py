"""Reading fentanyl-family names: "para-fluoro butyryl fentanyl" -> a structure, built from the scaffold.

The grammar's pieces (parents with SMILES templates, acyl groups, substituents, locants, salt words, stems) are data
in ``data/fentanyl_nomenclature.yaml``; this module only cuts a name into those pieces and fills the template:

    [stereo] ( <locants>-<multiplier><substituent> | <acyl> | N-<group> )* <parent> [salt]

Locants follow the conventions written down (with sources) at the top of the data file: unprimed ring positions
(ortho/o/2, meta/m/3, para/p/4) on the aniline ring, primed ones (2', 4') on the phenethyl ring, alpha/beta (or the
normalizer's a/b for α/β) on the ethyl chain, alpha'/beta' on the acyl chain, a bare 3- with an alkyl group on the
piperidine ring.

``read_names`` finds, in a passage of the ``words`` view, every token carrying a fentanyl stem and reads the name it
ends: parsed (a structure), an INN with the WHO stem -fentanil (no structure claimed), or an unresolved
fentanyl-family name (no structure claimed, never another substance). Detection only: nothing here acts or stores.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from rapidfuzz.distance import OSA
from rdkit import Chem

from . import structure
from .config import DATA_DIR, read_data_yaml
from .tokens import is_cjk
from .zh_names import glued_prefix_start

_ROMANCE_IL_RE = re.compile(r"(?<![a-z])([a-z]{3,})il(?![a-z])")


def _cyrillic_key(word: str, rules: list[list[str]]) -> str:
    """An English chemical word as the words view writes its Russian spelling ("acetyl" -> ацетил -> "atsetil"): the
    data file's letter rules (regular expression, replacement), in order."""
    for pattern, repl in rules:
        word = re.sub(pattern, repl, word)
    return word

DATA_FILE = DATA_DIR / "fentanyl_nomenclature.yaml"
MAX_NAME_CHARS = 160  # a longer candidate is not a name (and the backtracking stays shallow)
MULTIPLIERS = {"": 1, "di": 2, "tri": 3, "bis": 2}
# primes as sources type them: U+2032, quotes and accents, and the modifier letters U+02B9/U+02BA (Kim et al. 2025
# write "3ʹ-Fluorofentanyl"), U+02C8 and U+02CA
PRIMES = str.maketrans({"′": "'", "’": "'", "‘": "'", "´": "'", "`": "'", "″": "''",
                        "ʹ": "'", "ʺ": "''", "ˈ": "'", "ˊ": "'"})
# Stereo descriptors carry no constitution: "(±)-cis-", "(+)-", "trans-", "(3R,4S)-", "rac-"
STEREO_RE = re.compile(r"\((?:±|\+/-|\+-|[+-]|r|s|rs|\d[rs](?:,\s*\d[rs])*)\)-?|\b(?:cis|trans|rac|racemic)(?:-|\s+)|±-?")
# Chemical-looking word pieces: what may stand left of a stem word as part of the name
CHEM_SEGMENT_RE = re.compile(
    r"^(?:[±+\-]?|[\d,'()]+|(?:[\dnompab]'{0,2},)+[\dnompab]'{0,2}|cis|trans|rac|n|nor|des\w*|seco|homo|dehydro|"
    r"(?:ortho|meta|para|[ompab]|alpha|beta)'{0,2}|"
    r".*(?:yl|oyl|oxy|fluoro|chloro|bromo|iodo|nitro|amino|amido|hydroxy|thio|butyr|valer|"
    r"furan|thiophene|dioxole|indole|pyridine|pyrrole|azole|piperidine|morpholine)|cyclo\w+)$")
# words after a stem that continue the name: "remifentanil acid", "fentanyl methyl carbamate", "... propyl analog"
TAIL_WORD_RE = re.compile(r"^(?:acid|ester|isothiocyanate|analog|analogue|metabolite|"
                          r"[\w\-,']*(?:carbamate|amide|yl|oxy|fluoro|chloro|thio))$")
SEPARATORS = " \t\n/|;:\"“”*<>[]{}"


@dataclass(frozen=True)
class Parsed:
    smiles: str
    structure: structure.Structure
    parent: str             # the parent's first name ("fentanyl", "norfentanyl")
    pieces: tuple[str, ...]  # what was read, for the hit's note: ("4-fluoro on the aniline ring", "acyl butyryl")
    category: str           # category of the parent family: fentanyl-like, or precursor for 4-ANPP


@dataclass(frozen=True)
class Reading:
    """One fentanyl-family name found in a passage, with its offsets in that passage."""
    start: int
    end: int
    kind: str                # "parsed", "inn-stem" or "unresolved"
    text: str
    parsed: Parsed | None = None
    stem: str = ""           # the stem word (for the fuzzy guard and the note)
    stem_start: int = 0      # offsets of the stem word in the passage
    stem_end: int = 0
    name_end: int = 0        # end without a trailing salt word ("fentanyl citrate" -> after "fentanyl")


@dataclass
class _Slots:
    values: dict = field(default_factory=dict)
    pieces: list = field(default_factory=list)
    acyl: str | None = None
    dprime: bool = False  # the name uses double primes: then single primes are the aniline ring ("3',4'-...-3''-")


class Nomenclature:
    def __init__(self, data: dict):
        self.data = data
        self.parents = []  # (key, parent dict), longest key first
        for p in data["parents"]:
            for n in p["names"]:
                self.parents.append((n, p))
        self.parents.sort(key=lambda kp: -len(kp[0]))
        self.acyls = {}
        for key, a in data["acyls"].items():
            for n in a["names"]:
                self.acyls[n] = (key, a["smiles"])
        self.subs = dict(data["substituents"])
        # two-atom bridges over neighbouring ring positions ("3,4-methylenedioxy"): the two branches, ring-closed
        self.bridges = {k: b for k, b in data.get("bridges", {}).items()}
        self.subs.update({k: "" for k in self.bridges})
        self.pip3 = set(data["piperidine_3_groups"])
        self.pip4 = set(data["piperidine_4_groups"])
        self._ring_acyls = sorted((n for n, (_, smi) in self.acyls.items() if any(c.isdigit() for c in smi)),
                                  key=len, reverse=True)
        self.locant_words = dict(data["locants"])
        self.salts = set(data["salts"])
        self.latin_stems = dict(data.get("latin_stems", {}))  # "phentanylum" -> "fentanyl"
        self.stems = list(data["stems"]) + list(self.latin_stems)
        self._latin_re = re.compile("|".join(map(re.escape, self.latin_stems))) if self.latin_stems else None
        self.inn_stems = [s["stem"] for s in data["inn_stems"]]
        self.family_words = list(data.get("family_words", []))
        self._family_re = re.compile(rf"(?<![a-z])({'|'.join(map(re.escape, self.family_words))})(?![a-z])") \
            if self.family_words else None
        from .transliterate import tables as script_tables  # one table for the parser and the words view

        self.cyrillic = str.maketrans(dict(script_tables()["cyrillic"]))
        self.cyrillic_folded = str.maketrans(dict(script_tables()["cyrillic_folded"]))
        katakana = dict(data.get("katakana", {}))
        self._katakana_re = re.compile("|".join(re.escape(k) for k in sorted(katakana, key=len, reverse=True))) \
            if katakana else None
        self.katakana = katakana
        # a stem as the words view writes it: Cyrillic letters that look Latin are folded ("фентанил" -> "фeнтaнил")
        from .normalize import normalize_name

        spellings = {normalize_name(w) for w in self.stems + list(data["also_read"])} | set(self.stems)
        self.stem_re = re.compile("|".join(re.escape(w) for w in sorted(spellings, key=len, reverse=True)))
        self._sub_re = re.compile("|".join(re.escape(s) for s in sorted(self.subs, key=len, reverse=True)))
        self._acyl_names = sorted(self.acyls, key=len, reverse=True)
        self._acyls_by_first: dict[str, list[str]] = {}  # acyl names by first letter (a name starts where it is read)
        for n in self._acyl_names:
            self._acyls_by_first.setdefault(n[0], []).append(n)
        # acyl names not read across a space ("phenoxy acetyl" is another compound in the library, see the data file)
        self._unspaced = {n for key, a in data["acyls"].items() if a.get("unspaced") for n in a["names"]}
        # written forms ("MeO", ".alpha.", "4-F-"): read as the words they stand for; short ones only hyphen-glued
        forms = data.get("written_forms", {})
        self.long_forms, self.short_forms = dict(forms.get("long", {})), dict(forms.get("short", {}))
        alt = "|".join(re.escape(k) for k in sorted(self.long_forms, key=len, reverse=True))
        self._long_re = re.compile(rf"(?<![a-z0-9])({alt})(?![a-z0-9])") if alt else None
        alt = "|".join(re.escape(k) for k in sorted(self.short_forms, key=len, reverse=True))
        self._short_re = re.compile(rf"(?<=-)({alt})(?=[-_\s]|$)|(?:(?<=^)|(?<=[\s_]))({alt})(?=-)") if alt else None
        # words that change the compound a name stands for: a hit next to one it did not read claims no structure
        mult = "|".join(data.get("multipliers", []))
        self.modifier_words = (set(self.subs) | set(self.acyls) | set(data.get("greek_words", []))
                               | set(data.get("ring_words", [])) | set(self.long_forms) | {"ortho", "meta", "para"}
                               | set(data.get("multipliers", [])))
        self._multiplied_re = re.compile(rf"^(?:{mult})(?:{'|'.join(map(re.escape, self.subs))})$") if mult else None
        self.analog_words = set(data.get("analog_words", []))
        self.analog_rings = dict(data.get("analog_rings", {}))
        self.relative_words = set(data.get("relative_words", []))
        self.scaffold_words = set(data.get("scaffold_words", []))
        self.isomer_words = set(data.get("isomer_words", []))
        self.isomer_qualifiers = set(data.get("isomer_qualifiers", []))
        self.stereo_words = set(data.get("stereo_words", []))
        words = "|".join(map(re.escape, sorted(self.isomer_words, key=len, reverse=True)))
        # "(an) isomer of <name>", with the word before "isomer" for the stereo check
        self._isomer_of_re = re.compile(rf"(?:^|(?<=[\s(]))(?:([^\s]+?)[\s-])?({words})\s+of\s+$") if words else None
        self.modifier_words |= self.scaffold_words - {"analog", "analogue", "homolog", "homologue"}
        self.meta_before_acyl = bool(data.get("meta_before_acyl"))
        # acyl names read before a locant would be ("2-methyl butyryl" is 2-methylbutanoyl at Cayman Chemical)
        self._first_acyls = sorted((n for key, a in data["acyls"].items() if a.get("first") for n in a["names"]),
                                   key=len, reverse=True)
        # bare "2-methyl"/"4-methyl" with no acyl word: the piperidine ring; bare "3-<non-alkyl>" with none: unread
        self.pip_without_acyl = {str(k): set(v) for k, v in data.get("piperidine_without_acyl", {}).items()}
        self.bare3_unread = bool(data.get("bare_3_without_acyl_unread"))
        primes = "|".join(map(re.escape, data.get("prime_words", [])))
        self._prime_re = re.compile(rf"(?<![a-z0-9])(alpha|beta|a|b)[-_\s]?\(?(?:{primes})\)?(?![a-z0-9])") \
            if primes else None
        glued = "|".join(map(re.escape, data.get("glued_locant_forms", [])))
        self._glued_re = re.compile(rf"(?<![a-z0-9'])([2-6]'{{0,2}})({glued})(?=-)") if glued else None
        self._glued_seg_re = re.compile(rf"^[2-6]'{{0,2}}(?:{glued})$") if glued else None
        # vendor abbreviations read as the names they stand for ("o-ff" -> "o-fluorofentanyl")
        self.abbreviations = {a["abbr"]: (a["reads"], bool(a.get("alone"))) for a in data.get("abbreviations", [])}
        # abbreviations a locant may be glued to ("o-ff": the locant is the fluoro's); others are not read glued
        self._abbr_glued = {a["abbr"] for a in data.get("abbreviations", []) if a.get("glued")}
        alt = "|".join(re.escape(k) for k in sorted(self.abbreviations, key=len, reverse=True))
        first = "".join(sorted({re.escape(k[0]) for k in self.abbreviations}))  # a cheap first-letter test
        self._abbr_re = re.compile(rf"(?=[{first}])(?<![a-z0-9'])({alt})(?![a-z0-9])") if alt else None
        self._non_stems = {"anpp"} | set(self.abbreviations)
        # "furanyl fentanyl 3-furancarboxamide isomer": a word after the name moves the acyl's ring attachment
        self.isomer_tails = {k: dict(v) for k, v in data.get("isomer_tails", {}).items()}
        alt = "|".join(re.escape(k) for k in sorted(self.isomer_tails, key=len, reverse=True))
        self._isomer_re = re.compile(rf"\s+({alt})(?:\s+isomer)?(?![a-z0-9])") if alt else None
        self._isomer_end_re = re.compile(rf"[\s_]+({alt})(?:[\s_]+isomer)?$") if alt else None
        # "n-(2c-b) fentanyl": a drug in brackets as the N-substituent
        # grammar words read through one slip of the pen (``_respelled``): long acyl, parent and marker words
        # not parent names: a word one letter from "norfentanil" may be a new INN ("zorfentanil", the -fentanil stem)
        words = set(self.acyls) | {w for p in data["parents"] for w in p.get("marker", [])}
        # seven-letter words ("butyryl", "furanyl") only through two letters swapped: one letter more or less is
        # another word too often
        self._spelling_words = sorted(w for w in words if w.isalpha() and w.isascii() and len(w) >= 7)
        # acyl and group words a word before a parent may be a slip of ("butyrly"): such a word is part of the name
        self._group_words = sorted({w for w in set(self.acyls) | set(self.subs) if w.isalpha() and len(w) >= 6})
        self._spelling_set = set(self._spelling_words) | set(self.stems) | set(self.family_words)
        self._respelling_morphemes = tuple(data.get("respelling_morphemes", []))
        # acyl, group and locant words as Russian chemical names write them, read back from the words view's letters
        # ("ацетил" -> "atsetil" -> "acetyl"): data ``cyrillic_chemical``, keys of four letters or more, one word each
        keys: dict[str, set[str]] = {}
        for w in set(self.acyls) | set(self.subs) | set(self.locant_words):
            if w.isalpha() and w.isascii() and len(w) >= 4 and (k := _cyrillic_key(w, data["cyrillic_chemical"])) != w:
                keys.setdefault(k, set()).add(w)
        self._cyr_keys = {k: next(iter(ws)) for k, ws in keys.items() if len(ws) == 1}
        alt = "|".join(re.escape(k) for k in sorted(self._cyr_keys, key=len, reverse=True))
        self._cyr_re = re.compile(alt) if alt else None
        self._respell_cache: dict[str, tuple[str, str, str] | None] = {}
        self.n_groups = dict(data.get("n_groups", {}))
        # the name is read after its written forms ("tfm" -> "trifluoromethyl"): the groups' names are too ("2c-tfm")
        self.n_groups.update({self.written(k): v for k, v in list(self.n_groups.items())})
        alt = "|".join(re.escape(k) for k in sorted(self.n_groups, key=len, reverse=True))
        self._n_group_re = re.compile(rf"(?:^|(?<=[\s_]))n-\(({alt})\)[\s_-]*") if alt else None
        self.impurity_words = set(data.get("impurity_words", []))
        self.pharmacopoeia_words = set(data.get("pharmacopoeia_words", []))
        self.modifier_words |= set(data.get("compound_words", []))

    # --- cutting a name into pieces ---------------------------------------------------------------------------
    def _locant(self, loc: str, dprime: bool = False) -> tuple[str, str] | None:
        """A locant -> (kind, position): ("a", "4") aniline, ("p", "2") phenethyl ring, ("chain", "alpha"),
        ("acyl", "ap"), ("n", ""). ``dprime``: the name also has double-primed locants."""
        primes = len(loc) - len(loc.rstrip("'"))
        base = loc.rstrip("'")
        if base in ("alpha", "a"):
            return ("acyl", "ap") if primes == 1 else ("chain", "alpha") if primes == 0 else None
        if base in ("beta", "b"):
            return ("acyl", "bp") if primes == 1 else ("chain", "beta") if primes == 0 else None
        if base == "n":
            return ("n", "") if primes == 0 else None
        pos = self.locant_words.get(base)
        if pos is None and base.isdigit() and 2 <= int(base) <= 6:
            pos = int(base)
        if pos is None:
            return None
        if primes == 0:
            return ("a", str(pos))
        if primes == 1:  # the phenethyl ring; beside double primes ("3',4'-dichloro-3''-fluoro"), the aniline ring
            return ("a", str(pos)) if dprime else ("p", str(pos))
        return ("p", str(pos))  # double primes: the phenethyl ring ("4''-methoxyfentanyl")

    def _items(self, s: str, i: int, parent: dict, slots: _Slots, memo: set) -> _Slots | None:
        """Backtracking over the prefix ``s[i:]``: every way of reading it as items; the first complete one."""
        if i == len(s):
            if parent.get("marker") and "marker" not in slots.values:
                return None  # "nor-3-methylfentanyl" reads as norfentanyl only with its "nor"
            if parent.get("nor") == "explicit" and "nsub" not in slots.values:
                return None  # "N-propyl carfentanil": this reading exists only for an N-group
            return slots
        state = (i, tuple(sorted(slots.values.items())), slots.acyl)
        if state in memo:
            return None
        memo.add(state)
        # 1. locants + multiplier + substituent: "2,2'-difluoro", "para-fluoro", "a-methyl", "3-methyl"
        if s[i] in "-_,":  # "4'-fluoro, ortho-fluoro": a comma between two pieces
            return self._items(s, i + 1, parent, slots, memo)
        # 0. an acyl name that starts with a number, before the number is read as a locant ("2-methyl butyryl")
        if slots.acyl is None and s[i].isdigit():
            for name in self._first_acyls:
                end = _match_loose(s, i, name)
                if end != -1:
                    key, _ = self.acyls[name]
                    new = _Slots(dict(slots.values), slots.pieces + [f"{key} acyl"], key, slots.dprime)
                    out = self._items(s, end, parent, new, memo)
                    if out is not None:
                        return out
        # "N-formyl 4-ANPP": an acyl after "N-" on a parent without its own acyl is on the anilide nitrogen
        if slots.acyl is None and parent.get("n_acyl") and s.startswith("n", i) and i + 1 < len(s) \
                and s[i + 1] in "-_":
            for name in self._acyls_by_first.get(s[i + 2:i + 3], ()):
                if name in self.subs:
                    continue  # "N-phenyl": a group on a nitrogen, not the library's "phenyl" acyl (benzoyl)
                end = _match_loose(s, i + 2, name, name not in self._unspaced)
                if end != -1:
                    key, _ = self.acyls[name]
                    new = _Slots(dict(slots.values), slots.pieces + [f"N-{key} acyl"], key, slots.dprime)
                    out = self._items(s, end, parent, new, memo)
                    if out is not None:
                        return out
        # "Ethyl 4-ANPP": an unbranched alkyl word on such a parent is on the anilide nitrogen
        if slots.acyl is None and parent.get("n_alkyl") and i == 0:
            sub_m = self._sub_re.match(s, i)
            if sub_m and sub_m.group() in self.pip3 and re.fullmatch(r"[C=]+", self.subs[sub_m.group()]) \
                    and (sub_m.end() == len(s) or s[sub_m.end()] in "-_"):
                new = _Slots(dict(slots.values), slots.pieces + [f"N-{sub_m.group()}"], "@" + sub_m.group(),
                             slots.dprime)
                out = self._items(s, sub_m.end(), parent, new, memo)
                if out is not None:
                    return out
        # "N-propionyl norfentanyl": the parent's own acyl after "N-" on a nor-compound can replace nothing, so it is
        # on the piperidine N (another acyl stays unread: "N-acetyl norfentanyl" is either, by source)
        if parent.get("nor") is True and "nsub" not in slots.values and s.startswith("n-", i):
            for name in self._acyls_by_first.get(s[i + 2:i + 3], ()):
                end = _match_loose(s, i + 2, name, False)
                if end == -1 or self.acyls[name][0] != parent["acyl"] or not (end == len(s) or s[end] in "-_"):
                    continue
                new = _Slots(dict(slots.values, nsub=f"({_n_acyl(self.acyls[name][1])})"),
                             slots.pieces + [f"N-{name} on the piperidine N"], slots.acyl, slots.dprime)
                out = self._items(s, end, parent, new, memo)
                if out is not None:
                    return out
        # single letters (o-, p-, a- for the normalizer's α, n-) are locants only with their hyphen
        m = _LOCANTS_RE.match(s, i)
        if m:
            locs0 = [loc.strip("_") for loc in re.split(r"[,-]", m.group(1))]
            # "tri" may be a multiplier or the start of the group ("p-trifluoromethyl")
            tries = [(MULTIPLIERS[m.group(2) or ""], m.end())] + ([(1, m.start(2))] if m.group(2) else [])
            candidates = [(mult, j, sub_m.group()) for mult, j in tries if (sub_m := self._sub_re.match(s, j))]
            for mult, j, name in candidates:
                locs = list(locs0)
                if mult == 2 and len(locs) == 1 and locs[0] in ("alpha", "a", "beta", "b"):
                    locs = locs * 2  # "alpha-dimethyl": both groups on that chain carbon
                if len(locs) != mult and not (mult == 1 and len(locs) == 1) and \
                        not (name in self.bridges and mult == 1 and len(locs) == 2):
                    continue
                k = j + len(name)
                glued = next((a for a in self._ring_acyls if _match_loose(s, k, a) != -1), None) \
                    if k < len(s) and s[k] not in "-_" and locs0 != ["n"] else None
                if glued is not None:
                    out = self._glued(s, k, locs, name, glued, parent, slots, memo)
                    if out is not None:
                        return out
                    continue
                placed = self._place(locs, name, parent, slots)
                if placed is not None:
                    out = self._items(s, j + len(name), parent, placed, memo)
                    if out is not None:
                        return out
        # 2. an acyl group (at most one), or a bare group on a nor-compound's nitrogen ("benzyl norfentanyl"):
        # the longer word first ("phenylpropyl norfentanyl" is N-phenylpropyl, not a phenyl acyl and N-propyl)
        options = []
        if slots.acyl is None:
            options += [(e, "acyl", name) for name in self._acyls_by_first.get(s[i], ())
                        if (e := _match_loose(s, i, name, name not in self._unspaced)) != -1]
        if parent.get("nor") is True and "nsub" not in slots.values:
            sub_m = self._sub_re.match(s, i)
            if sub_m:
                options.append((sub_m.end(), "nsub", sub_m.group()))
        for end, kind, name in sorted(options, key=lambda o: -o[0]):
            if kind == "acyl":
                key, _ = self.acyls[name]
                new = _Slots(dict(slots.values), slots.pieces + [f"{key} acyl"], key, slots.dprime)
            else:
                new = _Slots(dict(slots.values, nsub=f"({_rebase(self.subs[name], 60)})"), slots.pieces + [f"N-{name}"],
                             slots.acyl, slots.dprime)
            out = self._items(s, end, parent, new, memo)
            if out is not None:
                return out
        # 3. a word that makes the parent another one: "nor-3-methylfentanyl", "despropionyl 2-fluorofentanyl"
        if parent.get("marker") and "marker" not in slots.values:
            for word in parent["marker"]:
                end = _match_loose(s, i, word)
                if end != -1:
                    new = _Slots(dict(slots.values, marker=word), slots.pieces + [word], slots.acyl, slots.dprime)
                    out = self._items(s, end, parent, new, memo)
                    if out is not None:
                        return out
        return None

    def _glued(self, s: str, k: int, locs: list[str], name: str, acyl_name: str, parent: dict, slots: _Slots,
               memo: set) -> _Slots | None:
        """A group glued to a ring acyl ("4-fluorobenzoyl", "m-fluorocyclopropyl", "2-methylfuranyl"): on the acyl's
        ring where the acyl says so (``glued: acyl``), on the aniline ring for ortho/meta/para words where the acyl
        ring cannot take them (``glued: aniline``: cycloalkyl rings, "phenyl" for benzoyl); otherwise not read."""
        if slots.acyl is not None:
            return None
        key, smi = self.acyls[acyl_name]
        mode = self.data["acyls"][key].get("glued")
        end = _match_loose(s, k, acyl_name)
        if mode == "acyl" and name not in self.bridges:
            values = dict(slots.values)
            for loc in locs:
                pos = self.locant_words.get(loc, loc)
                slot = f"r{pos}"
                if "{" + slot + "}" not in smi or slot in values:
                    return None
                values[slot] = f"({_rebase(self.subs[name], 80 + 3 * len(values))})"
            new = _Slots(values, slots.pieces + [f"{','.join(locs)}-{name} on the {key} ring", f"{key} acyl"], key,
                         slots.dprime)
            return self._items(s, end, parent, new, memo)
        if mode == "aniline" and all(loc in self.locant_words and len(loc) > 0 and not loc[0].isdigit() for loc in locs):
            placed = self._place(locs, name, parent, slots)
            if placed is None:
                return None
            new = _Slots(placed.values, placed.pieces + [f"{key} acyl"], key, slots.dprime)
            return self._items(s, end, parent, new, memo)
        return None

    def _place(self, locs: list[str], name: str, parent: dict, slots: _Slots) -> _Slots | None:
        values = dict(slots.values)
        pieces = list(slots.pieces)
        tpl = parent["template"]
        if name in self.bridges:
            return self._bridge(locs, name, parent, slots)
        for loc in locs:
            where = self._locant(loc, slots.dprime)
            if where is None:
                return None
            kind, pos = where
            if kind == "n":
                if not parent.get("nor"):
                    return None
                slot = "nsub"
            elif kind == "chain":
                slot = pos
            elif kind == "acyl":
                slot = pos
            elif kind == "a" and pos in ("3", "5") and loc == pos and name in self.pip3:
                slot = f"pip{pos}"  # "3-methylfentanyl", "3,5-dimethylfentanyl": the piperidine ring
            elif kind == "a" and pos == "2" and loc == "2" and name in self.pip3 and {"3", "5"} & set(locs):
                slot = "pip2"       # "2,5-dimethylfentanyl" (phenaridine): beside a piperidine locant, piperidine C2
            elif kind == "a" and pos == "4" and loc == "4" and name in self.pip4:
                slot = "pip4"       # "4-phenyl fentanyl": piperidine C4
            elif kind == "a" and loc == pos and len(locs) == 1 and name in self.pip_without_acyl.get(pos, ()):
                slot = f"q{pos}"    # "4-methyl fentanyl": piperidine C4 unless the name has an acyl word (_resolve)
            else:
                slot = f"{kind}{pos}"
                if kind == "a" and loc == "3" and name not in self.pip3:
                    values["#bare3"] = "1"  # "3-fluorofentanyl": read only beside an acyl word (_resolve)
            if kind == "a" and slot in values and loc[0] != pos and f"#n{slot}" in values \
                    and f"p{pos}" not in values:
                # "2-fluoro ortho-fluorofentanyl": a number and a word naming one aniline position; the number is
                # the phenethyl ring's (Cayman Chemical item 35680 = 2'-fluoro ortho-fluorofentanyl)
                values[f"p{pos}"] = values.pop(slot)
            elif kind == "a" and slot in values and loc == pos and f"#w{slot}" in values and f"p{pos}" not in values:
                slot = f"p{pos}"
            if kind == "a" and slot.startswith("a"):
                values[f"#{'n' if loc == pos else 'w'}{slot}"] = "1"
            if slot in ("pip3", "pip5", "alpha", "beta") and slot in values and locs.count(loc) == 2:
                # "3,3-dimethylfentanyl", "alpha-dimethyl fentanyl": two groups on one sp3 carbon
                values[slot] += f"({_rebase(self.subs[name], 80 + 3 * len(values))})"
                pieces.append(f"{loc}-{name}")
                continue
            if slot in values:
                return None
            if slot not in ("ap", "bp") and not slot.startswith("q") and "{" + slot + "}" not in tpl:
                return None
            values[slot] = f"({_rebase(self.subs[name], 80 + 3 * len(values))})"
            pieces.append(f"{loc}-{name}")
        return _Slots(values, pieces, slots.acyl, slots.dprime)

    def _bridge(self, locs: list[str], name: str, parent: dict, slots: _Slots) -> _Slots | None:
        """"3,4-methylenedioxy": a two-atom bridge over two neighbouring positions of one ring."""
        bridge = self.bridges[name]
        if len(locs) != 2:
            return None
        where = [self._locant(loc, slots.dprime) for loc in locs]
        if None in where or {w[0] for w in where} - {"a", "p"} or where[0][0] != where[1][0]:
            return None
        if any("'" in loc for loc in locs) and not bridge.get("primes", True):
            return None  # which ring primes mean here differs between sources: not read
        kind, (p1, p2) = where[0][0], sorted(int(w[1]) for w in where)
        if p2 - p1 != 1:
            return None
        slot1, slot2 = f"{kind}{p1}", f"{kind}{p2}"
        if slot1 in slots.values or slot2 in slots.values or "{" + slot1 + "}" not in parent["template"]:
            return None
        ring = 50 + len(slots.values)
        first, second = bridge["branches"]
        values = dict(slots.values, **{slot1: f"({first}%{ring})", slot2: f"({second}%{ring})"})
        return _Slots(values, slots.pieces + [f"{','.join(locs)}-{name}"], slots.acyl, slots.dprime)

    def _resolve(self, parent: dict, slots: _Slots) -> _Slots | None:
        """Slots whose place depends on the whole name: a bare "4-methyl" is the piperidine's with no acyl word and
        the aniline ring's with one; a bare "3-fluoro" with no acyl word is not read."""
        acyl_word = slots.acyl is not None and not slots.acyl.startswith("@")
        if self.bare3_unread and "#bare3" in slots.values and not acyl_word and parent["acyl"] != "none" \
                and not parent.get("nor"):
            return None
        values = {k: v for k, v in slots.values.items() if not k.startswith("#")}
        for k in [k for k in values if k.startswith("q")]:
            slot = f"a{k[1:]}" if acyl_word else f"pip{k[1:]}"
            if "{" + slot + "}" not in parent["template"]:
                slot = f"a{k[1:]}"  # "2-methyl carfentanil": no such piperidine reading, the aniline ring
            if slot in values or "{" + slot + "}" not in parent["template"]:
                return None
            values[slot] = values.pop(k)
        return _Slots(values, slots.pieces, slots.acyl, slots.dprime)

    def _fill(self, parent: dict, slots: _Slots) -> str | None:
        acyl_key = slots.acyl or parent["acyl"]
        if acyl_key.startswith("@"):  # an alkyl on the anilide N, its attachment atom last: "CC=C" -> "C=CC"
            acyl = self.subs[acyl_key[1:]][::-1]
        else:
            acyl = self.data["acyls"][acyl_key]["smiles"]
        for chain in ("ap", "bp"):
            if chain in slots.values:
                if "{" + chain + "}" not in acyl:
                    return None
        acyl = _rebase(acyl, 70).replace("{ap}", slots.values.get("ap", "")).replace("{bp}", slots.values.get("bp", ""))
        acyl = re.sub(r"\{(r\d)\}", lambda m: slots.values.get(m.group(1), ""), acyl)
        values = {k: v for k, v in slots.values.items() if k not in ("ap", "bp")}
        fields = re.findall(r"\{(\w+)\}", parent["template"])
        return parent["template"].format(acyl=acyl, **{f: values.get(f, "") for f in fields if f != "acyl"})

    # --- public ---------------------------------------------------------------------------------------------------
    def parse(self, name: str) -> Parsed | None:
        """The structure a fentanyl-family name stands for, or None when the name is not read."""
        if _CYRILLIC_RE.search(name):  # "фентанил" -> "fentanil"
            name = " ".join(w.translate(self.cyrillic_folded).translate(self.cyrillic) if _CYRILLIC_RE.search(w)
                            else w for w in name.split(" "))
        if self._latin_re is not None and "ph" in name:  # "phentanylum" -> "fentanyl"
            name = self._latin_re.sub(lambda m: self.latin_stems[m.group()], name)
        if _KATAKANA_RE.search(name):  # "ブチリルフェンタニル" -> "butyrylfentanyl"
            name = self._from_katakana(name)
            if name is None:
                return None
        parsed = _parse_cached(self, name)
        if parsed is None and (fix := self._respelled(name)) is not None:
            parsed = _parse_cached(self, fix[0])  # "meta-fluoroiosbutyryl fentanyl": one slip in one grammar word
            if parsed is not None:
                parsed = replace(parsed, pieces=parsed.pieces + (f"'{fix[1]}' read as '{fix[2]}'",))
        if parsed is None and (russian := self.cyrillic_chemical(name)) != name:
            parsed = _parse_cached(self, russian)  # "ацетилфентанил" (words view "atsetilfentanil"): acetylfentanyl
            if parsed is not None:
                parsed = replace(parsed, pieces=parsed.pieces + (f"'{name}' read as '{russian}'",))
        if parsed is None and (romance := self._romance_yl(name)) != name:
            parsed = _parse_cached(self, romance)  # "furanil fentanil": the Romance -il of an acyl word the table knows
            if parsed is not None:
                parsed = replace(parsed, pieces=parsed.pieces + (f"'{name}' read as '{romance}'",))
        return parsed

    def cyrillic_chemical(self, name: str) -> str:
        """The name with each acyl, group or locant word that Russian writes letter for letter ("atsetil",
        "tsiklopropil", "metoksi" in the words view) read back as the English word; the name itself where none is."""
        if self._cyr_re is None or name.isascii() and not any(k in name for k in ("ts", "ks", "il", "kh", "g", "f")):
            return name
        return self._cyr_re.sub(lambda m: self._cyr_keys[m.group()], name)

    def _romance_yl(self, name: str) -> str:
        """The name with each word ending "-il" (Spanish, Portuguese, Italian "acetil", "furanil") written "-yl" where
        that is an acyl or group word the tables know; the name itself where none is."""
        return _ROMANCE_IL_RE.sub(lambda m: m.group(1) + "yl" if m.group(1) + "yl" in self.acyls
                                  or m.group(1) + "yl" in self.subs else m.group(0), name)

    def acyl_shaped(self, word: str) -> bool:
        """A word with the shape of an acyl or group word: ending "-yl" or "-oyl" ("-oil"), ending "-ly" with an acyl
        name in it ("butyrlly"), or one slip (after a Romance "-il" read "-yl") from an acyl or group word of six
        letters or more ("butyrly", "furanil")."""
        if not (len(word) >= 6 and word.isalpha() and word.isascii()):
            return False
        if word.endswith(("yl", "oil")):
            return True
        if not word.endswith(("il", "ly")):
            return False
        w = word[:-2] + "yl" if word.endswith("il") else word
        if word.endswith("ly") and any(a in word for a in self._acyl_names if len(a) >= 4 and a.isalpha()):
            return True  # "butyrlly": an acyl name in it, an acyl's ending written out of order
        return any(OSA.distance(w, g, score_cutoff=1) <= 1 for g in self._group_words)

    def _respelled(self, name: str) -> tuple[str, str, str] | None:
        """The name with one grammar word of eight letters or more (an acyl or marker word) that is written with one
        slip (a letter swapped with the next, dropped, added or changed: "iosbutyryl", "despropinyl") written right;
        None unless exactly one such word is found, at the start or end of a word."""
        if name in self._respell_cache:
            return self._respell_cache[name]
        found = set()
        stems = [(m.start(), m.end()) for m in self.stem_re.finditer(name)]
        for m in re.finditer(r"[a-z]{7,}", name):
            tok = m.group()
            for w in self._spelling_words:
                for size in {len(w) - 1, len(w), len(w) + 1}:
                    if size > len(tok):
                        continue
                    for at in {0, len(tok) - size}:
                        piece = tok[at:at + size]
                        a, b = m.start() + at, m.start() + at + size
                        if piece in self._spelling_set or w in tok or OSA.distance(piece, w, score_cutoff=1) != 1:
                            continue
                        if len(w) == 7 and sorted(piece) != sorted(w):
                            continue  # "butyrly" is "butyryl"; a seven-letter word with a letter more or less is not
                        if sorted(piece) != sorted(w) and self._morphemes(piece) != self._morphemes(w):
                            continue  # "diethylamido" is not a slip of "dimethylamido": another compound
                        if not self.stem_re.search(w) and any(a < se and ss < b for ss, se in stems):
                            continue  # "fentanyl" holds "entanyl", one letter from the acyl "pentanyl"
                        found.add((a, b, w))
        # the longest reading of a word: "methoxyacteyl" is methoxyacetyl, not "m" + ethoxyacetyl
        found = {f for f in found
                 if not any(g[0] <= f[0] and f[1] <= g[1] and g[1] - g[0] > f[1] - f[0] for g in found)}
        out = None
        if len(found) == 1:
            (a, b, w), = found
            out = (name[:a] + w + name[b:], name[a:b], w)
        if len(self._respell_cache) < 4096:
            self._respell_cache[name] = out
        return out

    def _morphemes(self, word: str) -> frozenset[str]:
        return frozenset(m for m in self._respelling_morphemes if m in word)

    def _from_katakana(self, name: str) -> str | None:
        """The name with its katakana read morpheme by morpheme, or None when some katakana is not in the table."""
        if self._katakana_re is None:
            return None
        read = self._katakana_re.sub(lambda m: self.katakana[m.group()], name)
        return None if _KATAKANA_RE.search(read) else read

    def written(self, s: str) -> str:
        """Written forms read as their words: "4-meo-butyrylfentanyl" -> "4-methoxy-butyrylfentanyl"; primes
        written as a word ("alpha(prime)-methyl" -> "alpha'-methyl"); a locant glued to a symbol ("4cl-" ->
        "4-chloro-")."""
        if self._prime_re is not None:
            s = self._prime_re.sub(lambda m: m.group(1) + "'", s)
        if self._glued_re is not None:
            s = self._glued_re.sub(lambda m: f"{m.group(1)}-{self.short_forms[m.group(2)]}", s)
        if self._long_re is not None:
            s = self._long_re.sub(lambda m: self.long_forms[m.group(1)], s)
        if self._short_re is not None:
            s = self._short_re.sub(lambda m: self.short_forms[m.group(1) or m.group(2)], s)
        return s

    def _meta_before_acyl(self, s: str) -> str:
        """Cayman's "3-methyl Methoxyacetyl fentanyl": a bare 3-alkyl word before a separate acyl word is meta
        (the data file's ``meta_before_acyl``); with a stereo descriptor it stays on the piperidine ring."""
        def repl(m):
            nxt = m.group(3)
            if any(f"3{m.group(2)}{nxt}".startswith(a) for a in self._first_acyls):
                return m.group(0)  # "3-methyl crotonyl" is 3-methylcrotonyl (senecioyl) at Cayman Chemical
            if any(nxt.startswith(a) and a not in self._unspaced for a in self._acyl_names):
                return f"{m.group(1)}meta-{m.group(2)} "
            return m.group(0)
        alkyl = "|".join(sorted(self.pip3, key=len, reverse=True))
        return re.sub(rf"(^|\s)3-({alkyl})\s+(?=(\S+))", repl, s)

    def expand(self, s: str) -> str:
        """Vendor abbreviations read as the names they stand for: "despropionyl o-ff" -> "... o-fluorofentanyl"."""
        def repl(m):
            if m.group(1) not in self._abbr_glued and _GLUED_LOCANT_RE.search(s, 0, m.start()):
                return m.group(0)  # "4-maf": which word of "methoxyacetylfentanyl" the locant is for is not said
            return self.abbreviations[m.group(1)][0]
        return self._abbr_re.sub(repl, s) if self._abbr_re else s

    def _parse(self, name: str) -> Parsed | None:
        s = self.written(self.expand(name.lower().translate(PRIMES))).strip(" .,;:()[]-")
        if len(s) > MAX_NAME_CHARS:
            return None
        moved = None
        m = self._isomer_end_re.search(s) if self._isomer_end_re is not None else None
        if m is not None:
            moved, s = self.isomer_tails[m.group(1)], s[:m.start()]
        start = _Slots()
        m = self._n_group_re.search(s) if self._n_group_re is not None else None
        if m is not None:  # "n-(2c-b) fentanyl": the group stands for the parent's N-substituent
            start = _Slots({"nsub": f"({_rebase(self.n_groups[m.group(1)], 60)})"}, [f"N-({m.group(1)})"])
            s = s[:m.start()] + s[m.end():]
        if self.meta_before_acyl and not STEREO_RE.search(s):
            s = self._meta_before_acyl(s)
        s = STEREO_RE.sub(" ", s)
        words = s.split()
        while words and (words[-1].strip("-") in self.salts or _ISOMER_LABEL_RE.match(words[-1])):
            words.pop()  # salt words, and isomer labels: "β-hydroxy-3-methylfentanyl (a)" names one diastereomer
        # hyphens stay (they make "p-" a locant); spaces become "_"; brackets go: "(4-methoxycarbonyl)fentanyl"
        hyph = re.sub(r"\s+", "_", " ".join(words)).replace("(", "").replace(")", "").strip("-_")
        hyph = re.sub(r"-_+", "-", hyph)  # "p- methyl": a space after the locant's hyphen
        compact = hyph.replace("-", "").replace("_", "")
        if not compact:
            return None
        for key, parent in self.parents:
            if not compact.endswith(key):
                continue
            # cut the hyphenated form where the key's letters begin
            need, cut = len(key), len(hyph)
            while need:
                cut -= 1
                if hyph[cut] not in "-_":
                    need -= 1
            if "-" in hyph[cut:] and not any(c.isdigit() for c in key):
                continue  # "3-methylthio-fentanyl": a hyphen inside "thiofentanyl" means it is not that parent
            prefix = hyph[:cut]
            if start.values and not parent.get("nor"):
                continue  # an N-group needs a parent that takes one
            slots = self._items(prefix, 0, parent, _Slots(dict(start.values), list(start.pieces), dprime="''" in prefix),
                                set())
            if slots is not None and moved is not None:  # "... 3-furancarboxamide": furanyl -> furan-3-carbonyl
                acyl = moved.get(slots.acyl or parent["acyl"])
                slots = _Slots(slots.values, slots.pieces + [f"{acyl} acyl"], acyl, slots.dprime) if acyl else None
            if slots is not None:
                slots = self._resolve(parent, slots)
            if slots is None:
                continue
            smi = self._fill(parent, slots)
            st, _ = structure.parse_smiles(smi, 150) if smi else (None, ())
            if st is None:
                continue
            category = parent.get("category", "fentanyl-like")
            if parent["acyl"] == "none" and slots.acyl and not slots.acyl.startswith("@"):
                category = "fentanyl-like"  # "N,N-dimethylamido-4-ANPP": an acyl makes the amine an anilide again
            return Parsed(smi, st, parent["names"][0], tuple(slots.pieces), category)
        return None

    def stem_words(self, text: str):
        """(start, end) of every stem occurrence in a ``words``-view passage, and of every vendor abbreviation."""
        out = [(m.start(), m.end()) for m in self.stem_re.finditer(text)]
        if self._abbr_re is not None:
            out = sorted(out + [(m.start(1), m.end(1)) for m in self._abbr_re.finditer(text)])
        return out

    def is_inn_word(self, word: str) -> bool:
        """An unknown single word built on a WHO INN stem: "xxxfentanil" (letters only, something before the stem)."""
        return any(word.endswith(st) and len(word) > len(st) + 1 and word.isalpha() and word.isascii()
                   for st in self.inn_stems)

    def read_names(self, text: str) -> list[Reading]:
        """Every fentanyl-family name in a ``words``-view passage, read as far as it goes."""
        out: list[Reading] = []
        last_end = -1
        for s, e in self.stem_words(text):
            if s < last_end or text[s:e] == "anpp" and not _anpp_word(text, s, e):
                continue
            r = self._read_at(text, s, e)
            if r is not None:
                out.append(r)
                last_end = r.end
        if self._family_re is not None and any(w in text for w in self.family_words):
            out = sorted(out + self._family_readings(text, out), key=lambda r: r.start)
        return out

    def _family_readings(self, text: str, read: list[Reading]) -> list[Reading]:
        """"Despropionyl o-Cl": a family word that no stem reading covers, with the chemical words after it, is an
        unresolved fentanyl-family name (no structure claimed)."""
        out = []
        for m in self._family_re.finditer(text):
            if any(r.start <= m.start() < r.end for r in read):
                continue
            end = m.end()
            for w in re.finditer(r"[\s-]+([^\s]+)", text[end:end + 60]):
                if end - m.end() != w.start() or not self._chemical_word(w.group(1).rstrip(".,;:")):
                    break
                end = m.end() + w.end()
            out.append(Reading(m.start(), end, "unresolved", text[m.start():end], None, m.group(1), m.start(),
                               m.end(), end))
        return out

    def _read_at(self, text: str, s: int, e: int) -> Reading | None:
        if s > 0 and is_cjk(text[s]) and is_cjk(text[s - 1]):
            glued = glued_prefix_start(text, s)  # "羟芬太尼": a morpheme glued before the stem, another compound
            if glued is not None:
                return Reading(glued, e, "unresolved", text[glued:e], None, text[s:e], s, e, e)
        # the stem word: back to a separator, forward only over the stem (and "-fentanyl-laced" stays "fentanyl")
        ws = s
        while ws > 0 and text[ws - 1] not in SEPARATORS and not is_cjk(text[ws - 1]):  # Chinese has no spaces
            if text[ws - 1] == "," and self._name_before_comma(text, ws - 1):
                break  # "acetylfentanyl,butyrylfentanyl": two names glued by a comma, each read on its own
            ws -= 1
        we = e
        # pieces of the stem word, and whole words before it, that look chemical: candidate starts, leftmost first
        starts = []
        # the hyphen-separated piece holding the stem is the least a name can be: "zorfentanil", not "fentanil"
        seg_start = text.rfind("-", ws, s) + 1 if "-" in text[ws:s] else ws
        pre = text[ws:seg_start]
        segs = [m for m in re.finditer(r"[^-]+-?|-", pre)]
        for m in reversed(segs):
            if s - (ws + m.start()) > MAX_NAME_CHARS:
                break
            seg = m.group().rstrip("-")
            if seg and not self._chemical(seg):
                break
            seg_start = ws + m.start()
        starts.append(seg_start)
        if seg_start == ws:
            pos = ws
            for _ in range(4):
                j = pos - 1
                while j >= 0 and text[j] == " ":
                    j -= 1
                if j < 0 or text[j] in SEPARATORS or j == pos - 1 or s - j > MAX_NAME_CHARS:
                    break
                k = j
                while k > 0 and text[k - 1] not in SEPARATORS and not is_cjk(text[k - 1]):
                    k -= 1
                word = text[k:j + 1]
                if word.endswith(",") and self.stem_re.search(word):
                    break  # "fentanyl, carfentanil": the word before is another name of a list
                if "-" not in word and word in self.short_forms:
                    break  # "me", "f" alone are words ("contact me fentanyl"), not "methyl", "fluoro"
                if not self._chemical_word(word):
                    break  # "n-(2-apb)": a bracketed N-substituent
                starts.append(k)
                pos = k
        starts.sort()
        # a word that changes the compound, next to the name and not read ("omega-hydroxy fentanyl", "4-meo-" glued
        # to "butyrylfentanyl"): the name stands for another compound, it is read no further than "unresolved"
        unread = self.modifier_before(text, starts[0], ws)
        stem_we = we
        iso = self._isomer_re.match(text, we) if self._isomer_re is not None else None
        if iso is not None:  # "fu-f 3-furancarboxamide isomer": the tail is part of the name
            we = iso.end()
        # a salt word after the name belongs to the match
        end = we
        m = re.match(r"\s+([a-z0-9]+)\b", text[we:we + 20])
        if m and m.group(1) in self.salts:
            end = we + m.end()
        stem_word = text[ws:stem_we]
        tail = we  # chemical words after the stem: the name goes on, and is not read
        for m in re.finditer(r"\s+([^\s]+)", text[we:we + 80]):
            if m.start() != tail - we or not TAIL_WORD_RE.match(m.group(1).rstrip(".,;:")):
                break
            tail = we + m.end()
        tail = max(tail, self.analog_tail(text, we))  # "fentanyl ortho tolyl acetyl analog"
        is_stem = text[s:e] not in self._non_stems  # 4-ANPP, abbreviations: only their parsed variants count
        abbr = self.abbreviations.get(text[s:e])
        if unread is not None:
            return Reading(unread, max(tail, we), "unresolved", text[unread:max(tail, we)], None, stem_word, ws, we,
                           max(tail, we)) if is_stem else None
        if tail > we and end == we:
            if not is_stem:
                return None
            acyl = self.acyl_analog(text, we, tail)
            if acyl is not None and starts[0] == ws:  # "fentanyl furanyl analogue": the furanyl variant
                parsed = self.parse(f"{acyl} {stem_word}")
                if parsed is not None:
                    return Reading(ws, tail, "parsed", text[ws:tail], parsed, text[s:e], ws, we, tail)
            if text[we:tail].split() == ["n-oxide"]:  # "acetylfentanyl n-oxide": the amine's N-oxide
                for st in starts:
                    parsed = self.n_oxide(self.parse(text[st:we]))
                    if parsed is not None and st == starts[0]:
                        return Reading(st, tail, "parsed", text[st:tail], parsed, text[s:e], ws, we, tail)
            pieces = self.ring_analog(text, we, tail)
            if pieces is not None:  # "fentanyl ortho tolyl acetyl analog": ortho-methyl acetyl fentanyl
                for st in starts:
                    parsed = self.parse(f"{pieces} {text[st:we]}")
                    if parsed is not None and st == starts[0]:
                        return Reading(st, tail, "parsed", text[st:tail], parsed, text[s:e], ws, we, tail)
            return Reading(starts[0], tail, "unresolved", text[starts[0]:tail], None, stem_word, ws, we, tail)
        for st in starts:  # leftmost first: the longest reading wins
            parsed = self.parse(text[st:end])
            if parsed is not None:
                if st != starts[0]:
                    break  # chemical words before it that the parser cannot read: another compound
                if abbr is not None and not abbr[1] and st == s:
                    break  # "ibf", "maf" alone are ordinary abbreviations: read only after a piece of a name
                return Reading(st, end, "parsed", text[st:end], parsed, text[s:e], ws, we, we)
        word = text[starts[0]:we]
        if starts[0] == ws and self.is_inn_word(stem_word):
            return Reading(ws, we, "inn-stem", stem_word, None, stem_word, ws, we, we)
        if not is_stem and not (text[s:e] == "anpp" and self._prefixed_anpp(text, starts[0], s)):
            return None
        return Reading(starts[0], we, "unresolved", word, None, stem_word, ws, we, we)

    @staticmethod
    def _prefixed_anpp(text: str, start: int, s: int) -> bool:
        """"N,N-dimethylamido-4-ANPP": chemical pieces glued before "4-ANPP" that the parser did not read make the name
        another compound of the family (4-ANPP's own "4-" does not count)."""
        pre = re.sub(r"4[-_\s]*$", "", text[start:s]).strip("-_ ")
        return bool(pre) and "-" in text[start:s].rstrip("-_ 4")

    def _name_before_comma(self, text: str, i: int) -> bool:
        """Whether the comma at ``text[i]`` ends a fentanyl-family name glued to the next word: a stem word right
        before it, a letter right after ("fentanyl,carfentanil"); "alpha,3-dimethyl" and "4',para-" are locants."""
        if i + 1 >= len(text) or not text[i + 1].isalpha():
            return False
        m = self.stem_re.search(text, max(0, i - 16), i)
        while m is not None and m.end() != i:
            m = self.stem_re.search(text, m.end(), i)
        return m is not None

    def _chemical_word(self, word: str) -> bool:
        """A whole word before a stem word that may be part of the name: "4',para-difluoro", "(±)-cis-3-methyl",
        "alpha(prime)-methyl", "z-crotonyl", "t-boc"."""
        if word.startswith("n-(") or word in self.long_forms:
            return True  # "n-(2-apb)": a bracketed N-substituent
        if self.acyl_shaped(word) or word in self._cyr_keys:
            return True  # "butyrly", "furanil", "atsetil": read if a rule reads it, else the name is unresolved
        w = self.written(word.translate(PRIMES))
        if w.replace("-", "") in self.acyls:
            return True
        return all(self._chemical(p) for p in re.split(r"[-,]", w) if p)

    def _chemical(self, seg: str) -> bool:
        if _KATAKANA_RE.search(seg):  # "アルファ" in "アルファ-メチルフェンタニル"
            seg = self._from_katakana(seg) or ""
            if not seg:
                return False
        seg = seg.translate(PRIMES).strip("()[]")
        if "," in seg:  # "alpha,3" in "alpha,3-dimethylfentanyl"
            return all(self._chemical(p) for p in seg.split(",") if p)
        return bool(CHEM_SEGMENT_RE.match(seg)) or seg in self.subs or seg in self.acyls or seg in self.locant_words \
            or seg in self.long_forms or seg in self.short_forms \
            or bool(self._glued_seg_re is not None and self._glued_seg_re.match(seg))  # "4cl" in "4cl-butyryl-..."

    def is_modifier(self, word: str, glued: bool = False) -> bool:
        """A word that changes the compound: a substituent, acyl, ring or Greek-letter word, or a written form of one
        ("4-methoxy", "omega-hydroxy", "4',para-difluoro", "2-meo", "p-f"); short forms only hyphen-glued."""
        word = word.translate(PRIMES).strip("()[].,;:")
        parts = [p for p in re.split(r"[-,_]", word) if p]
        glued = glued or len(parts) > 1
        for p in parts:
            p = p.strip("'()")
            if p in self.modifier_words or f".{p}." in self.long_forms or (glued and p in self.short_forms):
                return True
            if self._multiplied_re is not None and self._multiplied_re.match(p):
                return True
        return False

    def modifier_before(self, text: str, start: int, word_start: int | None = None) -> int | None:
        """Start of a modifier word glued (hyphen) or next (one space) to a name starting at ``start`` in a words-view
        ``text``; None when there is none."""
        if word_start is not None and start > word_start:  # unread pieces glued before it in the same word
            piece = text[word_start:start].rstrip("-")
            return word_start if piece and self.is_modifier(piece.rsplit("-", 1)[-1], glued=True) else None
        if start == 0 or text[start - 1] not in "- ":
            return None
        iso = self._isomer_of_re.search(text, max(0, start - 40), start) if self._isomer_of_re is not None else None
        if iso is not None and iso.group(1) not in self.stereo_words:  # "isomer of fentanyl": another compound
            return iso.start(2)
        glued, j = text[start - 1] == "-", start - 1
        k = j
        while k > 0 and text[k - 1] not in SEPARATORS and not is_cjk(text[k - 1]):
            k -= 1
        return k if k < j and self.is_modifier(text[k:j], glued) else None

    def acyl_analog(self, text: str, end: int, tail: int) -> str | None:
        """The acyl word of "<name> <acyl> analog(ue)" ("fentanyl furanyl analogue": the name with that acyl in
        place of its own), or None: exactly one acyl word, then one analog word."""
        words = text[end:tail].replace(",", " ").split()
        if len(words) == 2 and words[0] in self.acyls and words[1] in self.analog_words:
            return words[0]
        return None

    @staticmethod
    def n_oxide(parsed: Parsed | None) -> Parsed | None:
        """"<name> N-oxide" (Kim et al. 2025 "Fentanyl N-oxide": the piperidine nitrogen oxidised): the structure with
        its one basic amine nitrogen (sp3, three carbons, no carbonyl or aryl on it) as the N-oxide; None when there is
        not exactly one."""
        if parsed is None:
            return None
        mol = Chem.RWMol(parsed.structure.mol)
        amines = [a.GetIdx() for a in mol.GetAtoms() if a.GetSymbol() == "N" and not a.GetIsAromatic()
                  and a.GetFormalCharge() == 0 and a.GetTotalNumHs() == 0 and a.GetDegree() == 3
                  and not any(n.GetIsAromatic() or any(b.GetBondTypeAsDouble() == 2 for b in n.GetBonds())
                              for n in a.GetNeighbors())]
        if len(amines) != 1:
            return None
        atom = mol.GetAtomWithIdx(amines[0])
        atom.SetFormalCharge(1)
        oxygen = mol.AddAtom(Chem.Atom(8))
        mol.GetAtomWithIdx(oxygen).SetFormalCharge(-1)
        mol.AddBond(amines[0], oxygen, Chem.BondType.SINGLE)
        smi = Chem.MolToSmiles(mol)
        st, _ = structure.parse_smiles(smi, 150)
        return replace(parsed, smiles=smi, structure=st, pieces=parsed.pieces + ("N-oxide",)) if st else None

    def ring_analog(self, text: str, end: int, tail: int) -> str | None:
        """The words of "<name> <ring words> analog" as pieces of a name the parser reads ("ortho tolyl acetyl
        analog" -> "ortho-methyl acetyl"; "1-para methylphenyl analog" -> "4'-methyl"; "n-benzyl analog" ->
        "n-benzyl"), or None when a word is not one of the data file's ``analog_rings``, an acyl or an N-group."""
        words = text[end:tail].replace(",", " ").split()
        if len(words) < 2 or words[-1] not in self.analog_words:
            return None
        out, loc = [], None
        for w in words[:-1]:
            w = re.sub(r"^1-(?=[a-z])", "", w)  # "1-para": the ring on the piperidine's N-1
            head, _, rest = w.rpartition("-")
            if head and head not in self.locant_words and not head.isdigit() and head != "n":
                return None
            if head == "n" and rest in self.subs and loc is None:
                out.append(f"n-{rest}")
                continue
            if head:
                if loc is not None:
                    return None
                loc, w = head, rest
            if w in self.locant_words and loc is None:
                loc = w
                continue
            if w in self.acyls and loc is None:
                out.append(w)
                continue
            ring = next((r for r in self.analog_rings if w.endswith(r)), None)
            if ring is None or loc is None:
                return None
            spec, group = self.analog_rings[ring], w[:-len(ring)]
            group = spec.get("group", group) if not group else group if "group" not in spec else None
            if group not in self.subs:
                return None
            pos = str(self.locant_words.get(loc, loc))
            if not pos.isdigit() or not 2 <= int(pos) <= 6:
                return None
            if spec["ring"] == "aniline":  # as a word: a bare "2-"/"3-" with an alkyl is the piperidine's
                word = {"2": "ortho", "3": "meta", "4": "para"}.get(pos)
                if word is None:
                    return None
                out.append(f"{word}-{group}")
            else:
                out.append(f"{pos}'-{group}")
            loc = None
        return " ".join(out) if out and loc is None else None

    def analog_tail(self, text: str, end: int) -> int:
        """End of "<chemical words> analog" after a name ending at ``end`` ("fentanyl, 4-n-propyl analog",
        "fentanyl ortho tolyl acetyl analog", "fentanyl n-oxide"), or ``end`` when there is none ("fentanyl
        analogues" alone names the family)."""
        pos = end
        scaffold = end  # "fentanyl tropane": the name goes on over a scaffold word (and an analog word after it)
        for n, m in enumerate(re.finditer(r"[\s,]+([^\s,]+)", text[end:end + 120])):
            if n >= 6 or end + m.start() != pos:
                break
            w = m.group(1).rstrip(".;:")
            if w in self.relative_words or w in self.analog_words and (n > 0 or w in self.scaffold_words):
                return end + m.end()
            if w in self.scaffold_words:
                pos = scaffold = end + m.end()
                continue
            if w in self.impurity_words:  # "fentanyl impurity f", "fentanyl ep impurity c": another compound
                nxt = re.match(r"\s+([a-z]\d?|\d{1,2})\b", text[end + m.end():end + m.end() + 8])
                if nxt is not None:  # a label; "fentanyl, impurity < 0.1%" is a purity statement
                    return end + m.end() + nxt.end()
                break
            if w in self.pharmacopoeia_words:
                pos = end + m.end()
                continue
            if w in self.isomer_words:  # "fentanyl isomer", "fentanyl positional isomer": another constitution
                before = text[end:end + m.start()].split()
                if before and before[-1].strip("-") in self.stereo_words:
                    break  # "fentanyl cis isomer": a stereoisomer, the same constitution
                return end + m.end()
            if w in self.isomer_qualifiers:
                pos = end + m.end()
                continue
            if not (self._chemical(w) or self.is_modifier(w) or all(self._chemical(p) for p in w.split("-") if p)):
                break
            pos = end + m.end()
        return scaffold


_CYRILLIC_RE = re.compile("[\u0400-\u04ff]")
_KATAKANA_RE = re.compile("[\u30a0-\u30ff]")
_GLUED_LOCANT_RE = re.compile(r"(?:^|[\s_,(])(?:[2-6]'{0,2}|[omp]|ortho|meta|para)-$")  # "4-" right before a word
_ISOMER_LABEL_RE = re.compile(r"^\(?[a-d]\)?$|^isomer$")  # "(a)", "(b)" after a name: which isomer, no constitution
_LOC = r"(?:(?:ortho|meta|para|alpha|beta|[2-6])'{0,2}|[ompabn]'{0,2}(?=[,-]))"
# locants listed with commas ("2,2'-"), or with hyphens as some libraries write them ("3'-4'-dichloro")
_LOCANTS_RE = re.compile(rf"({_LOC}(?:(?:,_?|-){_LOC})*)[-_]?(di|tri|bis)?")


def _match_loose(s: str, i: int, name: str, spaces: bool = True) -> int:
    """End of ``name`` read in ``s`` from ``i`` when hyphens (and spaces, written "_") may sit inside it ("2-thiophene"
    for "2thiophene"); -1 when it is not there."""
    if s.startswith(name, i):
        return i + len(name)
    j = i
    skip = "-_" if spaces else "-"
    for ch in name:
        while j < len(s) and s[j] in skip:
            j += 1
        if j >= len(s) or s[j] != ch:
            return -1
        j += 1
    return j


def _rebase(smiles: str, base: int) -> str:
    """Ring-closure digits of a group renumbered from ``base`` ("c1ccccc1" -> "c%81ccccc%81"), so that a group
    inserted into a template never closes one of the template's rings."""
    out, depth = [], 0
    for ch in smiles:
        if ch in "[{":  # atoms in brackets and template slots ("{r4}") keep their digits
            depth += 1
        elif ch in "]}":
            depth -= 1
        out.append(f"%{base + int(ch)}" if ch.isdigit() and depth == 0 else ch)
    return "".join(out)


@lru_cache(maxsize=64)
def _n_acyl(acyl_smiles: str) -> str:
    """An acyl written carbonyl last ("C{bp}C{ap}C(=O)") as a group written from its carbonyl ("C(=O)CC")."""
    mol = Chem.MolFromSmiles(re.sub(r"\{\w+\}", "", acyl_smiles) + "[*]")
    star = next(a.GetIdx() for a in mol.GetAtoms() if a.GetAtomicNum() == 0)
    return Chem.MolToSmiles(mol, rootedAtAtom=star).replace("*", "", 1)


def _anpp_word(text: str, s: int, e: int) -> bool:
    return (e == len(text) or not text[e].isalnum()) and (s == 0 or not text[s - 1].isalpha())


@lru_cache(maxsize=8192)
def _parse_cached(nom: Nomenclature, name: str) -> Parsed | None:
    return nom._parse(name)


@lru_cache(maxsize=1)
def nomenclature() -> Nomenclature:
    return Nomenclature(read_data_yaml(DATA_FILE.name))


def parse_name(name: str) -> Parsed | None:
    """Module-level shortcut: ``parse_name("para-fluoro butyryl fentanyl").structure.inchikey``."""
    return nomenclature().parse(name)


def canonical(smiles: str) -> str:
    return Chem.MolToSmiles(Chem.MolFromSmiles(smiles))
