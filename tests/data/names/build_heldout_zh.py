"""Builds the Chinese held-out part (``part: "heldout_zh"``) of names.jsonl.

Run once by hand (not by the tests). Written and frozen before fentwatch was run on any of its rows (session 6);
scored once at freezing, then kept out of the tuning of the Chinese-name translation (detect/zh_names.py): its
figure after later changes is reported apart as a tuning figure, never as a held-out one.

``heldout_zh_pages.tsv`` is the transcription: each row a Chinese name exactly as a stored Chinese page prints it
(drug labels, pharmacopoeia entries, the 2019 class-listing announcement, news pages, China's controlled-drug
catalogue), its label, and for a positive the structure: the pages give an English name, formula and/or CAS beside the
Chinese name, never a SMILES, so each positive's SMILES is the one China's 2025 catalogue (as
``Benzyl-titanium/Structural-formula`` transcribes it) gives for that English name/CAS; the row's ``note`` names the
join. Negatives (look-alike drug names sharing 哌啶, 芬 or 苯乙基 with fentanyl names) carry no structure. The header of
the TSV says what was left out (names damaged in the source, opioids of other classes).

Left out here: names already in names.jsonl (any part, same name), duplicates.

    python tests/data/names/build_heldout_zh.py >> tests/data/names/names.jsonl
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import sources

HERE = Path(__file__).parent


def transcription():
    with open(HERE / "heldout_zh_pages.tsv", encoding="utf-8") as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                yield line.rstrip("\n").split("\t")


def main() -> None:
    with open(HERE / "names.jsonl", encoding="utf-8") as f:
        seen = {json.loads(line)["name"] for line in f if line.strip()}
    out = []
    for name, label, kind, structure, url, title, note in transcription():
        if name in seen:
            continue
        seen.add(name)
        smiles, ik = sources.parent(structure) if kind == "smiles" else ("", "")
        out.append({"name": name, "inchikey": ik, "smiles": smiles, "label": label, "lang": "zh",
                    "source": {"url": url, "title": title}, "origin": "Chinese web page", "part": "heldout_zh",
                    "note": note})
    for row in out:
        print(json.dumps(row, ensure_ascii=False))
    print(f"{len(out)} rows: {sum(r['label'] == 'positive' for r in out)} positive", file=sys.stderr)


if __name__ == "__main__":
    main()
