"""Session 9's faster forms for listings with a hit answer as the forms they replace: a hit's JSON written out
(detect/result.py Hit.to_json, detect/legal.py Basis.to_json) against dataclasses.asdict's, and the memos of the
positives' repeated work (the names read in a passage, a hit's legal basis, names_product) against the uncached
calls, on every stored labelled listing (scanned uncached, then twice with the memos) and on generated hits.
Advertisement text only (the stored corpora)."""

import json
import random
from dataclasses import asdict
from pathlib import Path

import detect.engine as engine
from detect.engine import MEMO_SIZE, Detector
from detect.legal import Basis
from detect.result import Hit

DATA = Path(__file__).parent / "data"
SETS = ("corpus", "holdout", "holdout2", "holdout3")


def listings() -> list[dict]:
    return [json.loads(line) for name in SETS
            for line in (DATA / name / "listings.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]


def old_hit_json(h: Hit) -> dict:
    """Hit.to_json as it was (7257da9)."""
    d = asdict(h)
    d["score"] = round(h.score, 3)
    d["legal"] = [asdict(b) if isinstance(b, Basis) else b for b in h.legal]
    del d["substance_id"], d["note"]
    if h.similarity is None:
        del d["similarity"]
    else:
        d["similarity"] = round(h.similarity, 3)
    return d


def same_json(a: dict, b: dict) -> bool:
    """Equal, with the keys in the same order (the scan's JSON lines are compared byte for byte)."""
    return json.dumps(a) == json.dumps(b)


def generated_hits():
    rng = random.Random(9)
    bases = [Basis("CN", "controlled", "2019 class"), Basis("US", "regulated", "US-FRS(E): ..."),
             {"jurisdiction": "UN", "severity": "controlled", "basis": "given as a dict"}]
    for _ in range(3000):
        yield Hit(rng.choice(["Fentanyl", "unlisted fentanyl analog (C22H28N2O)", "", "4-ANPP ≥"]),
                  rng.choice(["fentanyl-like", "precursor"]), rng.choice([None, "PJMPHNIQZUBGLI-UHFFFAOYSA-N"]),
                  rng.choice(["name", "fuzzy-name", "cas", "iupac"]), rng.choice(["fent", "Фентанил", "x" * 70]),
                  rng.randint(0, 99), rng.randint(100, 999), rng.sample(["CN-2019(1)", "US-FRS(B)", "US-FRS(E)"],
                                                                        rng.randint(0, 3)),
                  rng.random(), rng.choice([None, "fentanyl"]), rng.choice(["", "ambiguous"]),
                  rng.choice([None, "controlled", "regulated"]), rng.sample(bases, rng.randint(0, 3)),
                  rng.choice([None, rng.random(), 1.0, 0.88888]))


def test_hit_json_written_out_is_asdicts():
    det = Detector()
    hits = [h for r in det.scan_many(listings()) for h in r.hits]
    assert len(hits) > 500 and any(h.legal for h in hits) and any(h.similarity is not None for h in hits)
    for h in [*hits, *generated_hits()]:
        assert same_json(h.to_json(), old_hit_json(h)), h
    for b in {b for h in hits for b in h.legal}:
        assert same_json(b.to_json(), asdict(b))


def test_positive_memos_answer_as_the_uncached_path(monkeypatch):
    rows = listings()
    det = Detector()
    memos = {"_bases": det, "_readings": det.analogs}
    for name, owner in memos.items():
        setattr(owner, name, getattr(owner, name).__wrapped__)  # each call computes
    monkeypatch.setattr(engine, "names_product", engine.names_product.__wrapped__)
    uncached = [r.to_json() for r in det.scan_many(rows)]
    monkeypatch.undo()
    det = Detector()
    first = [r.to_json() for r in det.scan_many(rows)]
    again = [r.to_json() for r in det.scan_many(rows)]
    assert sum(r["flagged"] for r in uncached) > 300
    assert first == uncached
    assert again == uncached
    for name, owner in {"_bases": det, "_readings": det.analogs}.items():
        info = getattr(owner, name).cache_info()
        assert info.hits > 0 and info.maxsize == MEMO_SIZE, (name, info)
    assert engine.names_product.cache_info().maxsize == MEMO_SIZE


def old_names_product(matched: str, product: str) -> bool:
    """engine.names_product as it was (7257da9)."""
    import re

    from detect.page import abbreviates
    from detect.normalize import normalize_name
    m = normalize_name(matched)
    if not m or not product:
        return False
    if re.search(rf"(?<![\w-]){re.escape(m)}(?![\w-])", product):
        return True
    tokens = [t for t in re.split(r"[\s-]+", product) if t]
    flat = re.sub(r"[\s-]+", "", m)
    return any("".join(tokens[i:j]) == flat for i in range(len(tokens)) for j in range(i + 1, min(len(tokens), i + 6) + 1)) \
        or any(abbreviates(t, flat) for t in tokens)


def test_word_character_test_is_the_regex_class():
    import re
    word = re.compile(r"[\w-]")
    for cp in range(0x110000):
        c = chr(cp)
        assert engine._wordish(c) == (word.fullmatch(c) is not None), hex(cp)


# (hit text, product name, comment)
PRODUCT_CASES = [
    ("fentanyl", "fentanyl powder", "a word of the product name"),
    ("fentanyl", "acetyl fentanyl powder", "inside a longer name, as a word"),
    ("fentanyl", "acetylfentanyl powder", "only as part of a word"),
    ("fentanyl", "fentanyl-fentanyl", "hyphens either side"),
    ("fentanyl", "xfentanyl fentanyl", "the second occurrence is the word"),
    ("fentanyl", "fentanyl_", "an underscore is a word character"),
    ("fentanyl", "fentanyl²", "a superscript digit is alphanumeric"),
    ("fentanyl", "fentanyl·", "a middle dot is not"),
    ("aa", "aaa aa", "overlapping occurrences"),
    ("4-anpp", "4-anpp/ 4-ANPP", "with a slash"),
    ("fent", "fent-powder", "an abbreviation"),
    ("", "fentanyl", "empty hit text"),
    ("fentanyl", "", "empty product"),
]
PIECES = ["fent", "anyl", "fentanyl", "a", "-", "_", " ", "²", "·", "é", "4", "anpp", "Ф", "ентанил", "x", "/"]


def test_names_product_answers_as_the_regex():
    rng = random.Random(99)
    pairs = [(m, p) for m, p, _ in PRODUCT_CASES]
    for _ in range(20000):
        pairs.append(("".join(rng.choice(PIECES) for _ in range(rng.randint(1, 3))),
                      "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 8)))))
    det = Detector()
    rows = listings()
    products = {r.get("product_name") or r.get("title") or "" for r in rows}
    texts = {h.matched for r in det.scan_many(rows) for h in r.hits}
    from detect.normalize import normalize_name
    products = sorted(normalize_name(p) for p in products if p)
    pairs += [(t, p) for t in sorted(texts) for p in products[:300]]
    assert sum(old_names_product(m, p) for m, p in pairs) > 100
    for m, p in pairs:
        assert engine.names_product.__wrapped__(m, p) == old_names_product(m, p), (m, p)


def test_topic_mention_tuples_answer_as_the_loops():
    from detect.context import cue_lists, is_topic_mention

    def old(text_lower, start, end):
        after = text_lower[end:end + 16].lstrip(" -")
        if any(after.startswith(w) for w in cue_lists()["mention_after"]):
            return True
        before = text_lower[max(0, start - 24):start].rstrip(" (")
        return any(before.endswith(w) for w in cue_lists()["mention_before"])

    det = Detector()
    rows = listings()
    n = 0
    for row, r in zip(rows, det.scan_many(rows)):
        low = (f"{row.get('title') or ''}\n{row.get('text') or ''}").lower()
        for h in r.hits:
            for s, e in ((h.start, h.end), (h.start, h.start), (0, len(low)), (h.end, h.end + 5)):
                n += old(low, s, e)
                assert is_topic_mention(low, s, e) == old(low, s, e)
    assert n > 10


def test_stereo_block_map_is_the_first_substance_in_order():
    det = Detector()
    blocks = {s.inchikey.split("-")[0] for s in det.lex.substances} | {"PJMPHNIQZUBGLI", "XXXXXXXXXXXXXX"}
    for block in blocks:
        linear = next((s for s in det.lex.substances if s.inchikey.startswith(block)), None)
        assert (det._by_block.get(block) if len(block) == 14 else linear) is linear, block


def old_offer_lines(text):
    """context.offer_lines as it was (7257da9)."""
    from detect.context import PROPERTY_RE
    ranges, properties = [], 0
    pos = 0
    for i, line in enumerate(text.split("\n")):
        end = pos + len(line)
        m = PROPERTY_RE.match(line)
        value = m.group(2) if m else ""
        is_property = bool(m) and len(m.group(1).split()) <= 3 and len(value) <= 60 and len(value.split()) <= 8 \
            and ". " not in value and not any(p in value for p in "。，；！") \
            and not (len(value.split()) >= 4 and value.rstrip()[-1:] in ".!")
        if i == 0 or line.count("|") >= 2 or is_property:
            ranges.append((pos, end))
        properties += is_property
        pos = end + 1
    return ranges, properties


LINE_PIECES = ["Purity", "Key", ":", "：", " ", "\n", "|", "99%", ". ", ".", "!", "。", "，", "a b c d", "x" * 45,
               "Nota: este sitio no vende X.", "\t", "\u3000", "fentanyl", "\r", "a|b|c", "\x85"]


def stored_texts():
    from stored_rows import stored_rows
    for row in stored_rows():
        for key in ("title", "text"):
            if isinstance(row.get(key), str):
                yield row[key]
        if isinstance(row.get("text"), str):
            yield f"{row.get('title') or ''}\n{row['text']}"


def generated_texts(pieces, n=20000, seed=10):
    rng = random.Random(seed)
    for _ in range(n):
        yield "".join(rng.choice(pieces) for _ in range(rng.randint(0, 14)))


def test_offer_lines_answer_as_before():
    from detect.context import offer_lines
    n = 0
    for text in [*generated_texts(LINE_PIECES), *stored_texts()]:
        new = offer_lines(text)
        assert new == old_offer_lines(text), text
        n += new[1]
    assert n > 1000


def old_name_windows(det, words, max_matches):
    """Detector._name_windows as it was (7257da9)."""
    spans = det.prefilter.name_spans(words)
    if not spans:
        return [], 0
    spans.sort()
    found, spans = len(spans), spans[:max_matches]
    windows = []
    for s, e in spans:
        s, e = max(0, s - engine.NAME_WINDOW), min(len(words), e + engine.NAME_WINDOW)
        s_min, e_max = max(0, s - engine.NAME_WINDOW_WORD), min(len(words), e + engine.NAME_WINDOW_WORD)
        while s > s_min and not words[s - 1].isspace():
            s -= 1
        while e < e_max and not words[e].isspace():
            e += 1
        if windows and s <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(e, windows[-1][1]))
        else:
            windows.append((s, e))
    return windows, found


WINDOW_PIECES = ["fentanyl ", "fentanyl", "carfentanil", "4-anpp ", " ", "\n", "x" * 50, "y" * 130, "word ",
                 "a" * 250, "фентанил ", "\u2003"]


def test_name_windows_answer_as_before():
    from detect.normalize import normalize
    det = Detector()
    n = 0
    for text in [*generated_texts(WINDOW_PIECES, 5000, 11), *stored_texts()]:
        words = normalize(text).words.text
        for cap in (1, 3, 100):
            new = det._name_windows(words, cap)
            assert new == old_name_windows(det, words, cap), (text, cap)
            n += len(new[0]) > 1
    assert n > 100  # listings with more than one window


def old_run(text, start, end, lo, hi):
    """iupac._run as it was (7257da9)."""
    from detect.iupac import FUSION_COLON_RE, NAME_CHARS, _name_dot
    while start > lo and (NAME_CHARS.match(text[start - 1]) or FUSION_COLON_RE.match(text, start - 1)
                          or _name_dot(text, start - 1)):
        start -= 1
    while end < hi and (NAME_CHARS.match(text[end]) or FUSION_COLON_RE.match(text, end) or _name_dot(text, end)):
        end += 1
    return start, end


RUN_PIECES = ["piperid", "in-4-yl", "N-phenyl-N-[1-(2-phenylethyl)", "benzo[1,2-b:4,5-b']difuran", "1,2-b':4",
              "8-azabicyclo[3.2.1]octan-3-yl", "[3.2.1", ".", ":", " ", "′", "é", ")]}", "-", "+", ",", "'", "x"]


def test_name_runs_answer_as_before(monkeypatch):
    import detect.iupac as iupac
    rng = random.Random(12)
    texts = [*generated_texts(RUN_PIECES, 20000, 13), *stored_texts()]
    for text in texts[:20000]:
        for _ in range(3):
            i = rng.randint(0, len(text))
            lo, hi = max(0, i - rng.randint(0, 60)), min(len(text), i + rng.randint(0, 60))
            assert iupac._run(text, i, i, lo, hi) == old_run(text, i, i, lo, hi), (text, i, lo, hi)
    new = [iupac.iupac_candidates(t) for t in texts]
    monkeypatch.setattr(iupac, "_run", old_run)
    old = [iupac.iupac_candidates(t) for t in texts]
    assert new == old
    assert sum(map(len, new)) > 1000


MORPHEME_PIECES = ["piperid", "PIPERID", "PiPeRiD", "piper", "id", "azepan", "AZEPAN", "azabicyclo", "aza",
                   "phenylethyl)amino", "PHENETHYL)AMINO", "phenethylamino", "phenethyl", ")", "amino", " ", "-", "p"]


def test_morphemes_on_lowercased_ascii_are_the_ignorecase_spans():
    from detect.iupac import MORPHEME_LOWER_RE, MORPHEME_RE
    n = 0
    for text in [*generated_texts(MORPHEME_PIECES, 20000, 14), *stored_texts()]:
        if not text.isascii():
            continue
        spans = [m.span() for m in MORPHEME_RE.finditer(text)]
        assert [m.span() for m in MORPHEME_LOWER_RE.finditer(text.lower())] == spans, text
        n += len(spans)
    assert n > 10000
