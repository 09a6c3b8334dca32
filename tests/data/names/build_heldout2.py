"""Builds the second held-out part (``part: "heldout2"``) of names.jsonl from a source not used before.

Run once by hand (not by the tests); the source is not part of fentwatch. The source is the set of example spectra
that NIST published with its fentanyl-analog classifier (Moorthy et al., "Mass spectral similarity mapping applied
to fentanyl analogs", Forensic Chemistry 2020; repository asm3-nist/FentanylClassifier): one MSP record per
spectrum, each with the library's ``Name``, its ``Synon`` lines (the names Cayman Chemical, the DEA and ENFSI
laboratories give the substance) and its ``InChIKey``. Each name becomes a row whose structure is that InChIKey, as
the record states it (no SMILES: the records give none). Nothing here comes from a parser of ours.

The rows were collected and frozen before fentwatch was run on them; they are never used to tune it.

    python tests/data/names/build_heldout2.py MIRROR_GIT_DIR >> tests/data/names/names.jsonl

Left out, by rule (decided before any measurement):
- deuterated internal standards ("-d5", "-d7", "(Not Certified by NIST)"): their InChIKey is the labelled isotopologue;
- records without an InChIKey ("Fentanyl" in 250541.MSP, "Synth");
- GC derivatives of 4-ANPP (", N-trifluoroacetyl-" ... written as CAS index names with a derivative suffix);
- code-like abbreviations ("4F-BF", "p-FBF", "FIBF", "NIH 10538", "GG 084", "A-3217", "ANPP"), as in build_names.py;
- a synonym that is the trailing part of a longer name of the same record ("Methoxyacetyl fentanyl" under
  "ortho-Methyl Methoxyacetyl fentanyl"): it names less than the record (a family name or a slip);
- names already in names.jsonl (same name, case-insensitive), and duplicates.
"""

from __future__ import annotations

import collections
import json
import re
import subprocess
import sys
from pathlib import Path

COMMIT = "cf612c911d735fad30b72989bdb36adf4fafa901"
REPO_URL = f"https://github.com/asm3-nist/FentanylClassifier/blob/{COMMIT}/"
TITLE = ("NIST fentanyl-analog classifier example spectra (Moorthy et al., Forensic Chemistry 2020), MSP record: "
         "library name, synonyms and InChIKey")
HERE = Path(__file__).parent
CODE_LIKE = re.compile(r"^(?:(?:ortho|meta|para|[opm]|\d)-)?[A-Z0-9]{1,6}(?:-[A-Z0-9]{1,4})?$|^[A-Za-z]{1,3}[- ]?\d+[A-Za-z]?(-\d+)?$")
DEUTERATED = re.compile(r"-d\d\b|not certified", re.I)


def records(git_dir: str):
    files = subprocess.check_output(["git", "--git-dir", git_dir, "ls-tree", "-r", "--name-only", COMMIT]).decode()
    for path in sorted(files.split("\n")):
        if not path.lower().endswith(".msp") or "/._" in path:
            continue
        text = subprocess.check_output(["git", "--git-dir", git_dir, "show", f"{COMMIT}:{path}"]).decode("utf-8", "replace")
        for block in text.split("\n\n"):
            fields = collections.defaultdict(list)
            for line in block.split("\n"):
                if ":" in line and not line[0].isdigit():
                    k, v = line.split(":", 1)
                    fields[k.strip()].append(v.strip())
            if fields.get("Name"):
                yield path, fields


def main(git_dir: str) -> None:
    with open(HERE / "names.jsonl", encoding="utf-8") as f:
        seen = {json.loads(line)["name"].casefold() for line in f if line.strip()}
    out = []
    for path, rec in records(git_dir):
        ik = (rec.get("InChIKey") or [""])[0]
        names = [rec["Name"][0], *rec.get("Synon", [])]
        if not re.fullmatch(r"[A-Z]{14}-[A-Z]{10}-[A-Z]", ik) or any(DEUTERATED.search(n) for n in names[:1]):
            continue
        if re.search(r", N-[a-z]", names[0]):
            continue  # a GC derivative of 4-ANPP
        comment = (rec.get("Comments") or [""])[0]
        for name in names:
            name = name.rstrip(" #").strip()
            low = name.casefold()
            if not name or low in seen or DEUTERATED.search(name) or CODE_LIKE.match(name) or len(name) <= 5:
                continue
            if any(o.casefold() != low and o.casefold().endswith(" " + low) for o in names):
                continue  # a trailing part of a longer name of the same record
            seen.add(low)
            out.append({"name": name, "inchikey": ik, "smiles": "", "label": "positive", "lang": "en",
                        "source": {"url": REPO_URL + path.replace(" ", "%20"), "title": TITLE},
                        "origin": "NIST fentanyl classifier spectra" + (f" ({comment.split('/')[0].strip()[:60]})" if comment else ""),
                        "part": "heldout2"})
    for row in out:
        print(json.dumps(row, ensure_ascii=False))
    print(f"{len(out)} rows", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1])
