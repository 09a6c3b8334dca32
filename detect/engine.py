"""The detection engine: listing in, ScanResult out.

Per listing: normalize once; a cheap prefilter (Aho-Corasick over the normalized text for every lexicon name and a
few fentanyl morphemes, plus the CAS, SMILES, InChI and "piperid" shape checks) decides which windows of the text
go through spaCy, rapidfuzz, OPSIN and RDKit. Ordinary listings stop after the prefilter. OPSIN names are batched
across listings in ``scan_many``; structures are cached by string.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from lexicon import Lexicon, load_lexicon

from . import structure
from .analog_names import METHODS as ANALOG_METHODS, PREFILTER_KEYS as ANALOG_KEYS, PREFILTER_SHORT_KEYS, AnalogNames
from .cas import CasFinder
from .classrules import classify
from .config import load_settings
from .contacts import extract_contacts
from .context import (cue_patterns, has_cue, has_negation, in_question, in_refusal, is_topic_mention, news_cues,
                      offer_lines, prose_sentences)
from .html import page_text, plain_lines, too_deep
from .iupac import SALT_WORDS, iupac_candidates
from .names import FUZZY_MORPHEMES, LOOKALIKE, SPANS_KEY, build_pipeline, name_entries
from .normalize import Normalized, lowered, lowered_aligned, non_ascii, normalize, normalize_name
from .legal import enabled, legal_basis, most_serious
from .family_rules import match_family
from .fastscan import morpheme_check, morpheme_non_ascii
from .name_repairs import repair_failed
from .opsin import Opsin, shared_opsin
from .page import (Page, abbreviates, check_page_fields, lead_end, page_evidence, reference_lines, reported_sale,
                   savings_page)
from .precursor_rules import match_precursor
from .prefilter import Prefilter
from .result import Hit, ScanResult
from .smiles import inchi_candidates, inchikey_candidates, smiles_candidates
from .script_names import _CYRILLIC_RE, cyrillic_candidates
from .zh_names import zh_candidates

DETECTOR_VERSION = "0.1.0"
INTERNAL_ERROR = "internal error"  # prefix of a result's error when the scan itself failed (a bug, not bad input)
NAME_WINDOW = 120  # characters of context either side of a prefilter match handed to spaCy
NAME_WINDOW_WORD = 100  # a window grows to the edge of the word it cuts, by at most this much (no word is longer)
NAME_METHODS = ("name", "fuzzy-name", *ANALOG_METHODS)
GLUED_WORD_RE = re.compile(r"(?<![\w-])([^\W\d_]{2,12})-$")  # a word and a hyphen right before a hit: "car-"
SALT_RE = re.compile("|".join(SALT_WORDS) + r"|\bsalt\b", re.IGNORECASE)


def listing_text(listing: dict, max_html_chars: int = 5_000_000, max_html_depth: int = 1000) -> tuple[str, list[str]]:
    """``title + "\\n" + text`` (offsets of hits refer to this string); HTML becomes visible text if no text.
    HTML beyond ``max_html_chars`` is not parsed (recorded in the warnings)."""
    warnings = []
    title = listing.get("title")
    text = listing.get("text")
    html = listing.get("html")
    for name, value in (("title", title), ("text", text), ("html", html)):
        if value is not None and not isinstance(value, str):
            raise ValueError(f"field '{name}' must be a string")
    if not text and html:
        if len(html) > max_html_chars:
            warnings.append(f"html truncated: parsed the first {max_html_chars} of {len(html)} characters")
            html = html[:max_html_chars]
        depth = too_deep(html, max_html_depth)
        if depth:
            warnings.append(f"html nested {depth} levels deep (limit {max_html_depth}): read as plain text")
            text, html_title = "\n".join(plain_lines(html)), None
        else:
            text, html_title = page_text(html)
        if title is None:
            title = html_title
    return f"{title or ''}\n{text or ''}", warnings


@dataclass
class _Pending:
    """A listing between the cheap pass and the structure pass (so OPSIN can be batched)."""
    listing_id: str
    full: str
    norm: Normalized
    hits: list[Hit]
    names: list[tuple[str, int, int]]  # IUPAC candidates: (text, start, end) in the norm view
    warnings: list[str] = field(default_factory=list)
    error: str | None = None
    # what the page rules read, kept for listings with a hit (the listing, its title, its body and body.lower()
    # before the text limit): a listing without a hit has no score for page evidence to weigh on, so its page is
    # not read (docs/offers.md)
    page_input: tuple | None = None
    low: str | None = None  # full.lower() for an ASCII listing, shared by the stages (None: each lowers its own)


BLOCK = 14  # characters of an InChIKey's first block (the skeleton, without stereo)
MEMO_SIZE = 4096  # distinct windows or structures each of the positives' memos keeps (least recently used go)


class _PerSubstance(dict):
    """A lexicon fact computed on first use for a substance id, then kept."""

    def __init__(self, compute):
        super().__init__()
        self.compute = compute

    def __missing__(self, sid: str):
        self[sid] = value = self.compute(sid)
        return value

    def get(self, sid, default=None):
        return self[sid] if sid is not None else default


class Detector:
    def __init__(self, lexicon: Lexicon | None = None, settings: dict | None = None, opsin: Opsin | None = None,
                 prewarm: bool = True):
        self.lex = lexicon or load_lexicon()
        self.settings = settings or load_settings()
        self.opsin = opsin or shared_opsin(self.settings["opsin"]["timeout_s"])
        # OPSIN's JVM (about a CPU-second to boot) starts on the first listing with a systematic-name candidate, in
        # the background while the rest of the batch is read (prewarm), not here: a scan or crawl without such a name
        # never pays for it
        self.prewarm = prewarm
        self.nlp = build_pipeline(self.lex, self.settings["fuzzy"])
        self.cas = CasFinder(self.lex)
        self.version = f"{DETECTOR_VERSION}+lex.{self.lex.version}"
        self.prefilter = self._build_prefilter()
        self.analogs = AnalogNames(self.lex, self.settings["method_score"], memo_size=MEMO_SIZE)  # fentanyl nomenclature parser (issue 14)
        # per substance on its first hit, not at set-up: set-up time would grow with the lexicon (16 ms a structure)
        self._rules = _PerSubstance(lambda sid: self._class_rules(self.lex.by_id[sid].smiles))
        self._formulas = _PerSubstance(lambda sid: st.formula if (st := structure.from_smiles(self.lex.by_id[sid].smiles))
                                       else "?")
        self._ambiguous_rivals = self._rivals()
        self._names_by_key = self._name_keys()
        # the positives' repeated work, once per distinct input and bounded (real marketplaces repeat names across
        # many listings): spaCy's reading of a window's text, the class and precursor rules and the family scaffold
        # of a parsed structure, keyed by the Structure object itself (its molecule by identity, never by a canonical
        # form that could hide another atom order). tests/test_memo.py compares them with the uncached calls.
        self._docs = lru_cache(maxsize=MEMO_SIZE)(lambda text: _name_spans(self.nlp(text)))
        self._verdicts = lru_cache(maxsize=MEMO_SIZE)(lambda st: (classify(st.mol), match_precursor(st.mol)))
        self._families = lru_cache(maxsize=MEMO_SIZE)(lambda st: match_family(st.mol))
        # the first lexicon substance (in lexicon order) whose InChIKey opens with each 14-character first block
        self._by_block: dict[str, object] = {}
        for sub in self.lex.substances:
            self._by_block.setdefault(sub.inchikey[:BLOCK], sub)
        self._bases = lru_cache(maxsize=MEMO_SIZE)(self._legal_uncached)  # a hit's legal basis, by substance and clauses

    # --- set-up ---------------------------------------------------------------------------------------------------
    def _build_prefilter(self) -> Prefilter:
        """Every controlled name and the fuzzy morphemes; keys under four characters ("npp", "ome") match only as
        whole words, since they occur inside ordinary words all the time."""
        keys = {e.key for e in name_entries(self.lex) if e.label != LOOKALIKE}
        short = {k for k in keys if len(k) < 4 and k.isascii()}  # not Chinese: 芬太尼 sits inside running text
        return Prefilter(sorted(keys - short) + list(FUZZY_MORPHEMES) + list(ANALOG_KEYS),
                         sorted(short | set(PREFILTER_SHORT_KEYS)),
                         list(self.lex.by_cas))

    def _name_keys(self) -> dict[str, str]:
        """Each lexicon name's words form (name_entries' base spelling) -> its substance id, for the names of one
        substance only."""
        keys: dict[str, set[str]] = {}
        for e in name_entries(self.lex):
            if e.label != LOOKALIKE and e.key == normalize_name(e.text):
                keys.setdefault(e.key, set()).add(e.substance_id)
        return {k: next(iter(v)) for k, v in keys.items() if len(v) == 1}

    def _glued(self, hits: list[Hit], full: str) -> list[Hit]:
        """A fentanyl-family hit right after letters and a hyphen ("car-fentanil", "remi-fentanil", "su-fentanil")
        whose whole word, the hyphen left out, is a lexicon name: that substance, never the stem's (issue 14, "never
        the wrong substance"). Any other glued word ("buy-fentanyl" in a URL) leaves the hit as it was."""
        out = []
        for h in hits:
            m = GLUED_WORD_RE.search(full, max(0, h.start - 24), h.start) \
                if h.category == "fentanyl-like" and h.method in NAME_METHODS and h.start else None
            sid = self._names_by_key.get(normalize_name(m.group(1) + h.matched)) if m else None
            if sid is None or sid == h.substance_id:
                out.append(h)
                continue
            sub = self.lex.by_id[sid]
            out.append(Hit(sub.name, sub.category, sub.inchikey, "name", full[m.start():h.end], m.start(), h.end,
                           list(self._rules[sub.id]), self.settings["method_score"]["name"], sub.id,
                           note=f"'{m.group(1)}-' and '{h.matched}' read as one word"))
        return out

    def _rivals(self) -> dict[str, list[str]]:
        """For each ambiguous name, the other names of the harmless chemical it also stands for: "4-AP" ->
        ["4-aminopyridine", "fampridine", ...]. When a listing names the rival, the ambiguous hit is dropped."""
        from .names import normalize_name, variants

        rivals: dict[str, list[str]] = {}
        for s in self.lex.substances:
            for amb in s.ambiguous:
                key = normalize_name(amb)
                for la in self.lex.lookalikes:
                    names = (la.name, *la.synonyms)
                    if any(key in variants(n) for n in names):
                        rivals.setdefault(key, []).extend(
                            v for n in names for v in variants(n) if key not in variants(n) and len(v) > 3)
        return rivals

    @staticmethod
    def _class_rules(smiles: str) -> list[str]:
        s = structure.from_smiles(smiles)
        if not s:
            return []
        pre = match_precursor(s.mol)
        return classify(s.mol).rules() + (pre.rules() if pre else [])

    # --- the cheap pass -----------------------------------------------------------------------------------------
    def _name_windows(self, words: str, max_matches: int) -> tuple[list[tuple[int, int]], int]:
        """Passages around the first ``max_matches`` name matches, merged; and how many matches there were."""
        spans = self.prefilter.name_spans(words)
        if not spans:
            return [], 0
        spans.sort()
        found, spans = len(spans), spans[:max_matches]
        windows = []
        n = len(words)
        for s, e in spans:
            s, e = max(0, s - NAME_WINDOW), min(n, e + NAME_WINDOW)
            # bounded: text with no spaces at all ("fentfentfent...") made this walk quadratic
            e_max = min(n, e + NAME_WINDOW_WORD)
            if windows and s <= windows[-1][1] and e_max <= windows[-1][1]:
                continue  # inside the last window however far either edge walks: it merges and changes nothing
            while e < e_max and not words[e].isspace():
                e += 1
            if windows and s <= windows[-1][1]:  # merges whatever the start walks back to: not walked
                windows[-1] = (windows[-1][0], max(e, windows[-1][1]))
                continue
            s_min = max(0, s - NAME_WINDOW_WORD)
            while s > s_min and not words[s - 1].isspace():
                s -= 1
            if windows and s <= windows[-1][1]:
                windows[-1] = (windows[-1][0], max(e, windows[-1][1]))
            else:
                windows.append((s, e))
        return windows, found

    def _name_hits(self, norm: Normalized, full: str, max_matches: int) -> tuple[list[Hit], int]:
        """Name hits around the first ``max_matches`` prefilter matches, and how many matches there were (a
        listing with thousands of name matches is decided by its first ones; the cap bounds its cost)."""
        words = norm.words
        hits = []
        windows, found = self._name_windows(words.text, max_matches)
        for ws, we in windows:
            first = len(hits)
            for s, e, sid, info in self._docs(words.text[ws:we]):  # spaCy's name spans of the window, remembered
                s, e = s + ws, e + ws
                os_, oe = words.span(s, e)
                sub = self.lex.by_id[sid]
                method = info["method"]
                score = self.settings["method_score"][method] * (info["similarity"] if method == "fuzzy-name" else 1)
                hit = Hit(sub.name, sub.category, sub.inchikey, method, full[os_:oe], os_, oe,
                          list(self._rules[sub.id]), score, sub.id)
                if info["ambiguous"]:
                    rivals = self._ambiguous_rivals.get(normalize_name(info["name"]), ())
                    if any(r in words.text for r in rivals):
                        continue  # "4-AP (4-aminopyridine)": the seller names the harmless chemical
                    hit.note = "ambiguous"
                if method == "fuzzy-name":
                    hit.note = f"similar to '{info['name']}' ({info['similarity']:.2f})"
                    hit.similarity = info["similarity"]
                hits.append(hit)
            # names the fentanyl nomenclature parser reads replace partial and fuzzy reads of them
            hits[first:] = self._glued(self.analogs.revise(hits[first:], words.text[ws:we], ws, norm, full), full)
        return hits, found

    def _cas_hits(self, norm: Normalized, full: str) -> list[Hit]:
        hits = []
        for m in self.cas.find(norm.norm.text, self.prefilter.cas_spans(norm.norm.text)):
            sub, form = self.lex.by_cas[m.cas]
            s, e = norm.norm.span(m.start, m.end)
            method = "partial-cas" if m.method.startswith("partial") else "cas"
            hit = Hit(sub.name, sub.category, sub.inchikey, method, full[s:e], s, e, list(self._rules[sub.id]),
                      self.settings["method_score"][m.method], sub.id,
                      note=f"CAS {m.cas} ({form.form})" + ("" if m.method == "cas" else f", written '{full[s:e]}'"))
            hits.append(hit)
        return hits

    def _structure_hit(self, st: structure.Structure, method: str, matched: str, start: int, end: int) -> Hit | None:
        sub = self.lex.by_inchikey.get(st.inchikey)
        if sub is None:  # a stereoisomer of a lexicon entry shares the first block of the InChIKey
            block = st.inchikey.split("-")[0]
            sub = self._by_block.get(block) if len(block) == BLOCK else \
                next((s for s in self.lex.substances if s.inchikey.startswith(block)), None)
        cls, pre = self._verdicts(st)  # classify(st.mol), match_precursor(st.mol)
        salt = "." in matched or bool(SALT_RE.search(matched))  # the parent of a salt: "its salts"
        rules = cls.rules() + (pre.rules(salt) if pre else [])
        score = self.settings["method_score"]
        if sub is not None:
            return Hit(sub.name, sub.category, st.inchikey, method, matched, start, end, rules, score[method],
                       sub.id, note=f"structure identical to {sub.name}")
        if cls.matched:
            return Hit(f"unlisted fentanyl analog ({st.formula})", "fentanyl-like", st.inchikey, "class-rule",
                       matched, start, end, rules, score["class-rule"], None,
                       note=f"{method} parsed to {st.smiles}")
        if pre is not None:
            return Hit(f"unlisted precursor ({st.formula})", "precursor", st.inchikey, "class-rule",
                       matched, start, end, rules, score["class-rule"], None,
                       note=f"{method} parsed to {st.smiles}")
        fam = self._families(st)  # match_family(st.mol): a fentanyl-family scaffold no instrument covers: said so, no clause claimed
        if fam is not None:
            return Hit(f"{fam.title} ({st.formula})", "fentanyl-like", st.inchikey, "family-rule", matched, start,
                       end, [], score["family-rule"], None, note=f"{method} parsed to {st.smiles}")
        return None

    def _first_pass(self, listing: dict) -> _Pending:
        lid = listing.get("id")
        lid = str(lid) if lid is not None else ""
        try:
            return self._cheap_pass(lid, listing)
        except ValueError as exc:
            return _Pending(lid, "", normalize(""), [], [], error=str(exc))
        except Exception as exc:  # noqa: BLE001 - one listing never stops a scan; the fuzz targets treat it as a crash
            return _Pending(lid, "", normalize(""), [], [], error=f"{INTERNAL_ERROR}: {type(exc).__name__}: {exc}")

    def _cheap_pass(self, lid: str, listing: dict) -> _Pending:
        lim = self.settings["limits"]
        full, warnings = listing_text(listing, lim["max_html_chars"], lim["max_html_depth"])
        title, _, body = full.partition("\n")
        # one lowercased copy for page rules, normalization and contacts; only for ASCII, where lower() maps each
        # character alone (a Greek capital sigma lowers by its neighbours, so a slice of a lowered text could differ)
        low = lowered(full) if full.isascii() else None  # remembered: the CAS cues read it again
        check_page_fields(listing)
        page_input = (listing, title, body, low)
        limit = lim["max_text_chars"]
        if len(full) > limit:
            warnings.append(f"text truncated: scanned the first {limit} of {len(full)} characters")
            full = full[:limit]
            low = low[:limit] if low is not None else None
        norm = normalize(full, low)
        hits, matches = self._name_hits(norm, full, lim["max_name_matches"])
        if matches > lim["max_name_matches"]:
            warnings.append(f"name search capped: read around the first {lim['max_name_matches']} of {matches} "
                            "name matches")
        hits += self._cas_hits(norm, full)
        ntext = norm.norm.text
        smiles = smiles_candidates(ntext, lim["max_smiles_candidates"] + 1)
        inchis = inchi_candidates(ntext)
        for what, found, cap in (("SMILES", smiles, lim["max_smiles_candidates"]),
                                 ("InChI", inchis, lim["max_smiles_candidates"])):
            if len(found) > cap:
                warnings.append(f"{what} candidates capped: parsed the first {cap}")
                del found[cap:]
        written_structures = (("smiles", structure.parse_smiles, smiles), ("inchi", structure.parse_inchi, inchis))
        for method, parse, candidates in written_structures:
            for tok, s, e in candidates:
                st, logged = parse(tok, lim["max_smiles_atoms"])
                warnings.extend(f"rdkit: {line}" for line in logged)
                if st is not None:
                    os_, oe = norm.norm.span(s, e)
                    hit = self._structure_hit(st, method, full[os_:oe], os_, oe)
                    if hit:
                        hits.append(hit)
        for key, s, e in inchikey_candidates(ntext):
            sub = self.lex.by_inchikey.get(key)
            if sub is not None:
                os_, oe = norm.norm.span(s, e)
                hits.append(Hit(sub.name, sub.category, sub.inchikey, "inchi", full[os_:oe], os_, oe,
                                list(self._rules[sub.id]), self.settings["method_score"]["inchi"], sub.id,
                                note="InChIKey"))
        # the morpheme test in one Hyperscan pass on ASCII text (detect/fastscan.py), else iupac's own
        morpheme = morpheme_check(ntext) if morpheme_check is not None and ntext.isascii() else morpheme_non_ascii(ntext)
        names = iupac_candidates(ntext, lim["max_iupac_candidates"] + 1, lim["iupac_window"]) if morpheme else []
        names += zh_candidates(ntext, lim["max_iupac_candidates"] + 1)  # Chinese systematic names, read in English
        names += cyrillic_names(norm, lim["max_iupac_candidates"] + 1, lim["iupac_window"])  # script_names.py
        if names and self.prewarm and self.opsin.proc is None:
            self.opsin.prewarm()
        if len(names) > lim["max_iupac_candidates"]:
            warnings.append(f"systematic-name candidates capped: converted the first {lim['max_iupac_candidates']}")
            del names[lim["max_iupac_candidates"]:]
        too_long = [n for n in names if len(n[0]) > lim["max_iupac_chars"]]
        if too_long:
            warnings.append(f"{len(too_long)} systematic-name candidate(s) over {lim['max_iupac_chars']} characters "
                            f"not sent to OPSIN")
            names = [n for n in names if len(n[0]) <= lim["max_iupac_chars"]]
        return _Pending(lid, full, norm, hits, names, warnings, page_input=page_input, low=low)

    # --- the structure pass and scoring -------------------------------------------------------------------------
    def _finish(self, p: _Pending, smiles_by_name: dict[str, str | None],
                read_as: dict[str, str] | None = None) -> ScanResult:
        if p.error is not None:
            return ScanResult(p.listing_id, False, 0.0, error=p.error)
        try:
            result = self._structures_and_score(p, smiles_by_name, read_as or {})
        except Exception as exc:  # noqa: BLE001 - see _first_pass
            return ScanResult(p.listing_id, False, 0.0, error=f"{INTERNAL_ERROR}: {type(exc).__name__}: {exc}")
        result.warnings = list(dict.fromkeys(result.warnings))  # a SMILES repeated 50 times warns once
        cap = self.settings["limits"]["max_warnings"]
        if len(result.warnings) > cap:
            result.warnings[cap:] = [f"... and {len(result.warnings) - cap} more warnings"]
        return result

    def _structures_and_score(self, p: _Pending, smiles_by_name: dict[str, str | None],
                              read_as: dict[str, str]) -> ScanResult:
        hits = p.hits
        # a lexicon name that OPSIN also reads ("4-piperidone") stays a name hit: the name explains it better
        taken: list[tuple[int, int]] = [(h.start, h.end) for h in hits if h.method in NAME_METHODS]
        for text, s, e in sorted(p.names, key=lambda c: c[2] - c[1], reverse=True):
            key = " ".join(text.split())
            smi = smiles_by_name.get(key)
            if not smi:
                continue
            os_, oe = p.norm.norm.span(s, e)
            if any(a <= os_ < b and oe <= b for a, b in taken):
                continue  # inside a name hit, or a shorter candidate inside a longer one that already parsed
            st, logged = structure.parse_smiles(smi, self.settings["limits"]["max_smiles_atoms"])
            p.warnings.extend(f"rdkit: {line}" for line in logged)
            if st is None:
                continue
            taken.append((os_, oe))
            hit = self._structure_hit(st, "iupac", p.full[os_:oe], os_, oe)
            said = read_as.get(key) or (text if text != p.norm.norm.text[s:e] else None)
            if hit and said:  # a translated (Chinese) or repaired name: say what OPSIN read
                hit.note = f"{hit.note}; read as '{said}'" if hit.note else f"read as '{said}'"
            if hit:
                hits.append(hit)
        read = [(h.start, h.end, h.inchikey) for h in hits if h.method == "iupac"]
        if read:
            # a lexicon name inside a longer systematic name of another compound ("piperidin-4-one" inside
            # "1-(2-phenylethyl)piperidin-4-one") is a piece of that name, not a substance of its own
            hits = [h for h in hits if not (h.method in ("name", "fuzzy-name") and any(
                a <= h.start and h.end <= b and b - a > h.end - h.start and key != h.inchikey for a, b, key in read))]
        hits = self._dedupe(hits)
        contacts = extract_contacts(p.full, p.low)
        score, why = self._score(p.full, hits, self._page(p) if hits else Page(None, None), p.low)
        flagged = score >= self.settings["flag"]["threshold"]
        why.append(f"score {score:.2f} {'>=' if flagged else '<'} threshold {self.settings['flag']['threshold']}")
        return ScanResult(p.listing_id, flagged, score, hits, contacts, p.warnings, why=why)

    def _page(self, p: _Pending) -> Page:
        """The page evidence of a listing with a hit: as given with it, else derived from its HTML, URL, title and
        the first 20,000 characters of its body (before the text limit)."""
        listing, title, body, low = p.page_input
        return page_evidence(listing, title, body[:20000], self.settings["limits"]["max_html_chars"],
                             low[len(title) + 1:][:20000] if low is not None else None)

    @staticmethod
    def _dedupe(hits: list[Hit]) -> list[Hit]:
        seen, out = set(), []
        for h in sorted(hits, key=lambda h: (h.start, -h.end, -h.score)):
            key = (h.start, h.end, h.inchikey or h.substance)
            if key in seen:
                continue
            seen.add(key)
            out.append(h)
        return out

    def _legal(self, hits: list[Hit]) -> None:
        """Each hit's legal basis in every jurisdiction and its severity in the jurisdictions that flag (remembered
        per substance and clauses: the same hit on many listings has the same basis)."""
        flag_in = self.settings.get("legal", {}).get("jurisdictions") or None
        flag_in = tuple(flag_in) if flag_in else None
        for h in hits:
            bases, h.severity = self._bases(h.substance_id, tuple(h.rules), flag_in)
            h.legal = list(bases)

    def _legal_uncached(self, substance_id: str | None, rules: tuple[str, ...], flag_in: tuple[str, ...] | None) \
            -> tuple[tuple, str | None]:
        """(every basis, the most serious severity in the jurisdictions that flag) of a substance and its clauses."""
        bases = legal_basis(self.lex.by_id.get(substance_id) if substance_id else None, list(rules))
        return tuple(bases), most_serious(enabled(bases, list(flag_in) if flag_in else None))

    def _legal_factor(self, h: Hit) -> tuple[float, str | None]:
        """How much a hit counts by its legal basis: not at all outside the jurisdictions that flag, less when only
        a precursor class (no list) covers it."""
        if h.legal and h.severity is None:
            where = ", ".join(sorted({b.jurisdiction for b in h.legal}))
            return 0.0, f"- {h.substance}: controlled only in {where}, not among the jurisdictions that flag"
        if not h.legal and h.inchikey and h.category == "fentanyl-like":
            return self.settings["legal"]["no_basis_factor"], \
                f"- {h.substance}: a fentanyl-family structure with no listed legal basis, for review"
        if h.severity == "regulated":
            return self.settings["legal"]["regulated_factor"], \
                f"- {h.substance}: regulated only (a member of a precursor class that no list names individually)"
        return 1.0, None

    def _product_hits(self, full: str, hits: list[Hit], page: Page, low: str | None = None) -> list[bool]:
        """Which hits name the product of a product page: in its product name, or in the title when the title is
        the product's name."""
        if not page.is_product:
            return [False] * len(hits)
        if not page.product_name:
            # a product page that does not say its product's name (an id in the URL, no title): its description
            # opens with the product ("Fentora (Fentanyl Buccal Tablet) is a prescription medication ...")
            body = full.find("\n") + 1
            end = lead_end(full, body)
            low = lowered_aligned(full) if low is None else low
            lead = [h.method in NAME_METHODS and body <= h.start < end and not in_refusal(low, h.start)
                    and not has_negation(low, h.start) for h in hits]
            return lead if any(lead) else dominant_hits(hits, low)
        product = normalize_name(page.product_name)
        title_end = full.find("\n")
        title_is_product = bool(product) and product in normalize_name(full[:title_end])
        return [names_product(h.matched, product) or (title_is_product and h.start < title_end) for h in hits]

    def _score(self, full: str, hits: list[Hit], page: Page, low: str | None = None) -> tuple[float, list[str]]:
        """The listing's score and why: the signals that raised (+) and lowered (-) it, in the order applied
        (``low``: ``full.lower()`` when the cheap pass made it)."""
        why: list[str] = []
        if page.kind:
            why.append(f"{'+' if page.is_product else '·'} {page.kind} page"
                       + (f" ({', '.join(page.signals)})" if page.signals else ""))
        if not hits:
            return 0.0, why + ["no controlled name, CAS number or structure found"]
        ctx = self.settings["context"]
        low = lowered_aligned(full) if low is None else low  # one character for one: hits' offsets read it
        selling = has_cue("sale_intent", low)
        if selling and reported_sale(low, cue_patterns()["sale_intent"], cue_patterns()["refusal"]):
            selling = False  # "online vendors selling X", "selling X is against the law": a report, not an offer
            why.append("· sale words only where the text reports or forbids a sale")
        if page.is_product and page.product_name:
            # a "product name" that reads as a headline or a question ("News: customs seize ...", "Awareness: what is
            # X?") is a page layout's title field, not a product: the page is read as any other page
            pname = page.product_name.lower().rstrip()
            if has_cue("news", pname) or has_cue("refusal", pname) or pname.endswith(("?", "？")):
                why.append("· the product name reads as a headline or a question: not read as an offer")
                page = Page(None, None, page.signals, page.given)
            elif not page.given and not selling and savings_page(low):
                why.append("· a prescription savings or coupon page: it offers a discount card, not the drug")
                page = Page(None, None, page.signals, page.given)
        product_hit = self._product_hits(full, hits, page, low)
        ranges, properties = offer_lines(full)
        properties = max(0, properties - reference_lines(full))  # "Generic Name: fentanyl" describes a drug
        if page.is_product:
            # listing-wide cues count only when they describe the product itself (a test-strip or naloxone product),
            # not when they sit in prose copied onto the page
            harm = has_cue("harm_reduction", (page.product_name or full[:full.find("\n")]).lower())
            news = prose = False
        else:
            harm = has_cue("harm_reduction", low)
            # news text may say "for sale" ("possession of a narcotic drug for sale"): several news cues outweigh it
            n_news = news_cues(low) + (page.kind == "news")  # an address in a news section is one news cue
            news = n_news > 0 and (not selling or n_news >= ctx["news_over_sale_cues"])
            # an article or description: prose sentences, no property lines, nothing for sale
            prose = not selling and properties < 2 and prose_sentences(full) >= ctx["prose_min_sentences"]
        self._ambiguity(low, hits)
        self._legal(hits)
        in_offer = [any(a <= h.start < b for a, b in ranges) for h in hits]
        # a product page (several "Key: value" lines) on which no controlled name is in an offer line is a page
        # about something else: its controlled names are in a notice or a comparison
        other_product = properties >= 3 and not any(in_offer) and not any(product_hit)
        # a structure in an encyclopedia infobox ("Trade names Wildnil", "Other names ...", then a SMILES) of a page
        # that sells nothing describes the article's subject
        infobox = not page.is_product and not selling and reference_lines(full, bare=True) >= 2
        factors, hit_lines = [], []
        for h, offered, named in zip(hits, in_offer, product_hit):
            if named:
                factor, reason = 1.0, f"the product offered ('{page.product_name or h.matched[:60]}')"
            else:
                factor, reason = self._mention_factor(h, offered, low, selling, other_product)
                written = h.method in ("smiles", "inchi") or h.note.startswith(("smiles", "inchi"))
                if factor == 1.0 and prose and not written:
                    factor, reason = ctx["mention_factor"], "named in a prose page with nothing for sale"
                elif factor == 1.0 and written and infobox:
                    factor, reason = ctx["mention_factor"], "a structure in a reference page's infobox, nothing for sale"
            hit_lines.append(f"{'+' if factor == 1.0 else '-'} {h.substance}: {h.method} '{h.matched[:60]}'"
                             + (f", {reason}" if reason else "") + f" ({h.score * factor:.2f})")
            legal_factor, legal_why = self._legal_factor(h)
            if legal_why:
                hit_lines.append(legal_why)
            h.score *= factor * legal_factor
            factors.append(factor if legal_factor else 0.0)

        hit_lines = list(dict.fromkeys(hit_lines))  # "Fentanyl" found five times the same way: one line
        cap = ctx["why_hit_lines"]
        why += hit_lines[:cap] + ([f"  ... and {len(hit_lines) - cap} more hit lines"] if len(hit_lines) > cap else [])

        def combined(selected: list[Hit]) -> float:
            best: dict[str, float] = {}
            for h in selected:
                key = h.inchikey or h.substance
                best[key] = max(best.get(key, 0.0), h.score)
            return 1.0 - math.prod(1.0 - s for s in best.values())

        # Offers add up (two substances offered is more evidence than one); mentions do not: a notice naming ten
        # controlled substances is still one notice, so only the strongest mention counts.
        offers = [h for h, f in zip(hits, factors) if f == 1.0]
        mentions = max((h.score for h, f in zip(hits, factors) if f < 1.0), default=0.0)
        names = combined([h for h in offers if h.method in NAME_METHODS])
        structures = combined([h for h in offers if h.method not in NAME_METHODS])
        if harm:  # test strips and naloxone name fentanyl; they do not give its CAS or structure
            names *= ctx["harm_reduction_factor"]
            mentions *= ctx["harm_reduction_factor"]
            why.append("- harm-reduction product (test strips, naloxone ...)" if page.is_product else
                       "- harm-reduction listing (test strips, naloxone ...)")
        score = 1.0 - (1.0 - names) * (1.0 - structures) * (1.0 - mentions)
        if news:  # reporting and awareness text
            score *= ctx["news_factor"]
            why.append("- news or awareness text" + (f", {news_cues(low)} news cues outweigh the sale cue" if selling
                                                      else ", nothing for sale"))
        elif page.given and page.kind in ("article", "news", "reference") and not selling:
            # only when the crawler or the caller said so: forum posts that sell ("[VENDS] ...") have no sale cue
            # a cue list knows, and a derived kind is a guess
            score *= ctx["news_factor"]
            why.append(f"- {page.kind} page, nothing for sale")
        if score > 0.3 and selling:
            score += ctx["sale_intent_bonus"]
            why.append("+ sale cues (price, contact, stock ...)")
        return min(1.0, score), why

    def _ambiguity(self, low: str, hits: list[Hit]) -> None:
        """An ambiguous abbreviation counts only when something corroborates it: another hit for the same
        substance, chemical context nearby, or the substance's molecular formula in the listing."""
        ms, window = self.settings["method_score"], self.settings["context"]["window"]
        strong = {h.substance_id for h in hits if h.note != "ambiguous"}
        for h in hits:
            if h.note != "ambiguous":
                continue
            near = low[max(0, h.start - window):h.end + window]
            formula = self._formulas.get(h.substance_id, "?").lower()
            corroborated = h.substance_id in strong or has_cue("corroborate", near) or formula in low
            h.score = ms["ambiguous-corroborated" if corroborated else "ambiguous-alone"]
            h.note = "ambiguous name, " + ("corroborated" if corroborated else "not corroborated")

    def _mention_factor(self, h: Hit, offered: bool, low: str, selling: bool, other_product: bool) \
            -> tuple[float, str | None]:
        """How much a hit counts as an offer (1) rather than a mention: "we never ship fentanyl", "fentanyl test
        strips", "No fentanyl-related substances", a notice on another product's page, a forum question."""
        ctx = self.settings["context"]
        if h.method in ("smiles", "inchi", "class-rule"):
            return 1.0, None  # a structure is not written in passing
        name_like = h.method in NAME_METHODS  # CAS numbers and systematic names are only refused or negated
        why, factor = None, 1.0
        if in_refusal(low, h.start, negation=name_like):
            why, factor = "inside a refusal or compliance sentence", ctx["refusal_factor"]
        elif name_like and is_topic_mention(low, h.start, h.end):
            why, factor = "names a topic or class, not a product", ctx["refusal_factor"]
        elif not offered and has_negation(low, h.start):
            why, factor = "in a negated sentence outside the offer lines", ctx["refusal_factor"]
        elif name_like and not selling and in_question(low, h.start):
            why, factor = "in a question, nothing for sale", ctx["refusal_factor"]
        elif name_like and not offered and other_product:
            why, factor = "mentioned outside the lines of a page about another product", ctx["mention_factor"]
        elif name_like and not offered and not selling:
            why, factor = "mentioned in prose, nothing for sale", ctx["mention_factor"]
        if why:
            h.note = f"{h.note}; {why}" if h.note else why
        return factor, why

    # --- public API -----------------------------------------------------------------------------------------------
    def scan(self, listing: dict) -> ScanResult:
        return next(self.scan_many([listing]))

    def scan_many(self, listings: Iterable[dict], batch_size: int = 256) -> Iterator[ScanResult]:
        """Scan listings in order; systematic names of a whole batch go to OPSIN in one round trip."""
        batch: list[_Pending] = []
        for listing in listings:
            batch.append(self._first_pass(listing) if isinstance(listing, dict) else
                         _Pending("", "", normalize(""), [], [], error="listing must be a JSON object"))
            if len(batch) >= batch_size:
                yield from self._flush(batch)
                batch = []
        if batch:
            yield from self._flush(batch)

    def _flush(self, batch: list[_Pending]) -> Iterator[ScanResult]:
        names = sorted({" ".join(t.split()) for p in batch for t, _, _ in p.names})
        smiles = dict(zip(names, self.opsin.convert(names))) if names else {}
        read_as = repair_failed(self.opsin.convert, smiles)  # only names OPSIN failed on; one more round trip if any
        if self.opsin.warnings:
            for p in batch:
                if p.names:
                    p.warnings.extend(self.opsin.warnings)
            self.opsin.warnings.clear()
        for p in batch:
            yield self._finish(p, smiles, read_as)


def _name_spans(doc) -> tuple[tuple[int, int, str, dict], ...]:
    """The name spans spaCy found in a window: (start, end) in the window's text, substance id, and the matcher's
    facts (span._.fw); read once per window text, not once per listing (a span's ``._`` builds an object)."""
    offsets = doc.user_data["offsets"]
    return tuple((offsets[span.start][0], offsets[span.end - 1][1], span.id_, span._.fw)
                 for span in doc.spans[SPANS_KEY])


def cyrillic_names(norm: Normalized, limit: int, window: int) -> list[tuple[str, int, int]]:
    """script_names.cyrillic_candidates, called only when the norm view has a Cyrillic letter among its non-ASCII
    characters (its own test searches the whole text with a character class: 10-20 us on a quarter of the listings;
    the answer is the same, tests/test_speed_forms.py)."""
    text = norm.norm.text
    if text.isascii() or _CYRILLIC_RE.search(non_ascii(text)) is None:
        return []
    return cyrillic_candidates(norm, limit, window)


def _wordish(c: str) -> bool:
    """``[\\w-]`` of a str pattern: \\w is alphanumeric or "_" (tests/test_positive_forms.py checks every code point)."""
    return c == "-" or c == "_" or c.isalnum()


def _word_in(m: str, text: str) -> bool:
    """``m`` (not empty) in ``text`` with no word character or hyphen either side of it."""
    i = text.find(m)
    while i >= 0:
        j = i + len(m)
        if (i == 0 or not _wordish(text[i - 1])) and (j == len(text) or not _wordish(text[j])):
            return True
        i = text.find(m, i + 1)
    return False


@lru_cache(maxsize=MEMO_SIZE)  # the same product names the same hit text on many pages
def names_product(matched: str, product: str) -> bool:
    """The hit's text names the product: as words of the product name ("fentanyl" in "fentanyl powder", not in
    "acetyl fentanyl powder" only as part of "acetylfentanyl"), spaces and hyphens aside."""
    m = normalize_name(matched)
    if not m or not product:
        return False
    if _word_in(m, product):  # re.search(rf"(?<![\w-]){re.escape(m)}(?![\w-])", product) without compiling it
        return True
    tokens = [t for t in re.split(r"[\s-]+", product) if t]
    flat = re.sub(r"[\s-]+", "", m)
    return any("".join(tokens[i:j]) == flat for i in range(len(tokens)) for j in range(i + 1, min(len(tokens), i + 6) + 1)) \
        or any(abbreviates(t, flat) for t in tokens)  # "/product/fent-powder/" names fentanyl


def dominant_hits(hits: list[Hit], low: str) -> list[bool]:
    """On a product page that names no product (no title, an id in the URL) and whose description does not open with
    one: the substance its description names most (at least twice, more than any other) is its product."""
    counts: dict[str, int] = {}
    for h in hits:
        if h.method in NAME_METHODS:
            counts[h.substance] = counts.get(h.substance, 0) + 1
    ranked = sorted(counts.values(), reverse=True)
    if not ranked or ranked[0] < 2 or (len(ranked) > 1 and ranked[0] == ranked[1]):
        return [False] * len(hits)
    top = next(k for k, v in counts.items() if v == ranked[0])
    return [h.method in NAME_METHODS and h.substance == top and not in_refusal(low, h.start) for h in hits]


_default: Detector | None = None


def default_detector() -> Detector:
    global _default
    if _default is None:
        _default = Detector()
    return _default


def scan(listing: dict) -> ScanResult:
    """Scan one listing with the bundled lexicon and settings."""
    return default_detector().scan(listing)


def scan_many(listings: Iterable[dict]) -> Iterator[ScanResult]:
    return default_detector().scan_many(listings)
