"""Label audit of names.jsonl: every positive row's structure checked against every other statement of it.

Run by hand (not by the tests); the sources are not part of fentwatch. One rule for every row of every part:

1. Statements. For the row's name, the structure stated by
   - the row itself (its label: the record it was taken from);
   - the same record's other statements: its formula (the base's, as the source prints it) and its systematic names
     (IUPAC or CAS-style, read by OPSIN: the source's statement in systematic form, not a parser of ours), and any
     second statement a build script kept in ``other_statements`` (heldout4's web pages);
   - the row's name itself when OPSIN reads it (a systematic name as the source writes it);
   - every other record, of any source below, that gives the same name (case, spaces, zero-width characters and salt
     words aside: "Thienylfentanyl" is "Thienyl Fentanyl"; locants must be the same) or, for a record with a CAS
     number, the same CAS number; and every record whose name is the same across hyphens as well ("3-Methylthio-
     fentanyl" and "3-Methylthiofentanyl"). A hyphen can say where a group sits, so a record found only across
     hyphens can put a row in conflict but never correct it. The same comparison for every row of every part.
   The sources: the Fentanyl-Hunter library (whose rows say which database they are from: HighResNPS, NIST, the
   authors' standards), Kim et al. 2025, NIST's fentanyl classifier spectra, Cayman Chemical's product pages,
   SWGDRUG monographs and the Slovenian police laboratory's list (see ``sources.py``). A database is one voice:
   NIST's MSP records and the Fentanyl-Hunter rows marked NIST are both NIST.
2. Structures are compared by InChIKey connectivity block (a name without stereo descriptors names every
   stereoisomer); a formula agrees with a structure whose formula it is.
3. Verdict, counting databases (voices) behind each structure:
   - every statement agrees: nothing is written;
   - another structure has more voices than the label, at least two, one of them not the row's own database:
     the row is corrected to it (``label_corrected``: the structure before, and who settled it);
   - the label has more voices than any other structure, at least two: it stands, and the dissent is written
     down (``label_dissent``), scored as before;
   - otherwise the disagreement is not settled (``label_conflict``: what disagrees, with both sources): the report
     shows such rows apart and does not score them.
The audit is re-run from the original labels (a corrected row's ``label_corrected`` holds them), so running it
twice gives the same file.

    python tests/data/names/audit_labels.py MIRRORS_DIR   # rewrites names.jsonl in place, prints a summary
    python tests/data/names/audit_labels.py MIRRORS_DIR heldout5   # audits one part's rows; the others stay as they are
"""

from __future__ import annotations

import collections
import json
import re
import subprocess
import sys
from pathlib import Path

from rdkit import Chem, RDLogger
from rdkit.Chem.rdMolDescriptors import CalcMolFormula

import sources

RDLogger.DisableLog("rdApp.*")

HERE = Path(__file__).parent
SALT_WORDS = re.compile(r"\s*\(?\b(?:mono|di|tri)?(?:hydrochloride|citrate|oxalate|hydrobromide|fumarate|tartrate|"
                        r"hemi\w*|hydrate|monohydrate|salt|hcl|crm|exempt preparation|solution)\b\)?", re.I)
# a name of the shape of an IUPAC or CAS name of this family (an N-substituted amide or amine): read by OPSIN as the
# source's own statement of the structure; trade and semi-systematic names are not
SYSTEMATIC = re.compile(r"N-[\(\[\{]|, N-|^N-\w+-N-")
STEM_WORD = re.compile(r"fentan|anpp|\bfu-f\b", re.I)
AUDIT_FIELDS = ("label_corrected", "label_conflict", "label_dissent")


def norm(name: str) -> str:
    name = name.replace("\u200b", "").replace("\r", " ").replace("\n", " ")
    name = SALT_WORDS.sub("", name).strip(" ,")
    return re.sub(r"\s+", "", name).casefold()  # case and spaces aside


def norm_hyphens(name: str) -> str:
    """The name as ``norm`` gives it, hyphens aside too."""
    return re.sub(r"[\-\u2010-\u2015]+", "", norm(name))


def opsin_read(names: list[str]) -> dict[str, str | None]:
    """Each name's parent structure as OPSIN reads it (SMILES), or None."""
    sys.path.insert(0, str(HERE.parents[2]))
    from detect.opsin import find_java, jar_path  # where the OPSIN jar is: the reading is OPSIN's own

    uniq = sorted({n for n in names if n.strip() and "\n" not in n and "\r" not in n})
    out = subprocess.run([find_java(), "-jar", jar_path(), "-osmi"], input="\n".join(uniq) + "\n",
                         capture_output=True, text=True).stdout.split("\n")
    assert len(out) == len(uniq) + 1 and out[-1] == "", (len(out), len(uniq))
    got = {}
    for name, smi in zip(uniq, out):
        p = sources.parent(smi.strip()) if smi.strip() else None
        got[name] = p[0] if p else None
    return got


def family_of(row: dict) -> str:
    origin = row["origin"]
    for key, fam in (("origin HighResNPS", "HighResNPS"), ("origin NIST", "NIST"), ("origin std", "Fentanyl-Hunter standards"),
                     ("Kim et al", "Kim"), ("NIST fentanyl classifier", "NIST"), ("Cayman", "Cayman"),
                     ("SWGDRUG", "SWGDRUG"), ("Slovenian police", "Policija")):
        if key in origin:
            return fam
    if "Fentanyl-Hunter library gives" in row.get("note", ""):
        return "HighResNPS"  # China catalogue, US control lists, Chinese systematic names: structure joined from it
    return origin


def main(mirrors: str, part: str | None = None) -> None:
    m = Path(mirrors)
    records = [*sources.hrnps_records(str(m / "FangLabNTU+Fentanyl-Hunter/repo")),
               *sources.kim_records(str(m / "hanbinoh-lab+fentanyl-analog-rt-predictor/repo")),
               *sources.nist_records(str(m / "asm3-nist+FentanylClassifier/repo")),
               *sources.viehauser_records(str(m / "mviehauser+ProgrammierProjekt/repo"))]
    by_name, by_cas = collections.defaultdict(list), collections.defaultdict(list)
    by_name_h = collections.defaultdict(list)
    for r in records:
        for n in r.names:
            by_name[norm(n)].append(r)
            by_name_h[norm_hyphens(n)].append(r)
        for c in r.cas:
            by_cas[c].append(r)

    with open(HERE / "names.jsonl", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    every_row, rows = rows, [r for r in rows if part is None or r["part"] == part]  # a part's audit leaves the rest as they are
    for row in rows:  # back to the labels as the build scripts wrote them
        if "label_corrected" in row:
            row["inchikey"], row["smiles"] = row["label_corrected"]["inchikey"], row["label_corrected"]["smiles"]
        for k in AUDIT_FIELDS:
            row.pop(k, None)

    systematic = [n for r in records for n in (*r.systematic, *r.names)]
    opsin = opsin_read([*systematic, *(row["name"] for row in rows if row["label"] == "positive")])
    conn_of_smiles = {}

    def conn(smiles: str) -> str:
        if smiles not in conn_of_smiles:
            mol = Chem.MolFromSmiles(smiles)
            conn_of_smiles[smiles] = Chem.MolToInchiKey(mol)[:14] if mol is not None else ""
        return conn_of_smiles[smiles]

    smiles_of_conn = {}
    for r in records:
        if r.smiles:
            smiles_of_conn.setdefault(r.inchikey[:14], (r.inchikey, r.smiles))
    formula_of_conn = {k: CalcMolFormula(Chem.MolFromSmiles(s)) for k, (_, s) in smiles_of_conn.items()}
    counts = collections.Counter()

    def readings(r: sources.Record) -> list[tuple[str, str]]:
        """(connectivity, what) for each systematic name of a record that OPSIN reads."""
        names = [*r.systematic, *(n for n in r.names if SYSTEMATIC.search(n) and not STEM_WORD.search(n))]
        return [(conn(opsin[n]), f"{r.family}'s systematic name '{n}' read by OPSIN ({r.where})")
                for n in dict.fromkeys(names) if opsin.get(n)]

    for row in rows:
        if row["label"] != "positive":
            continue
        label, fam = row["inchikey"][:14], family_of(row)
        joined = re.search(r"Fentanyl-Hunter library gives for '([^']+)'", row.get("note", ""))
        formula_of_conn.setdefault(label, sources.formula_of(row["smiles"]) if row["smiles"] else "")
        # (connectivity or "formula C..H..", voice, what said it, kind)
        said = [(label, fam, f"the row's record ({row['origin']})", "structure")]
        lookup = norm(joined.group(1)) if joined else norm(row["name"])
        own = [r for r in by_name[lookup] if r.family == fam and r.inchikey[:14] == label]
        for r in own:
            if r.formula and formula_of_conn.get(label) and r.formula != formula_of_conn[label]:
                said.append((f"formula {r.formula}", fam, f"{r.family}'s own formula {r.formula} ({r.where})", "formula"))
            said += [(k, fam, w, "systematic") for k, w in readings(r)]
        for st in row.get("other_statements", []):  # the row's own source, stating the structure again
            said.append((st["inchikey"][:14], fam, f"{st['what']} ({row['source']['url']})", "systematic"))
        if opsin.get(row["name"]) and SYSTEMATIC.search(row["name"]) and not STEM_WORD.search(row["name"]):
            voice = row["origin"] if joined else fam  # a joined row's name is its own source's (catalogue, control list)
            said.append((conn(opsin[row["name"]]), voice, f"the name itself ({voice}) read by OPSIN", "systematic"))
        cas = {c for r in own for c in r.cas} | set(re.findall(r"CAS (\d{2,7}-\d\d-\d)", row.get("note", "")))
        others = [r for r in by_name[norm(row["name"])] if r not in own]
        others += [r for c in sorted(cas) for r in by_cas[c] if r not in own and r not in others]
        across = [r for r in by_name_h[norm_hyphens(row["name"])] if r not in own and r not in others]
        others += across
        weak = set()  # structures only records found across hyphens give
        for r in others:
            via = "same name" if r in by_name[norm(row["name"])] else \
                "same name across hyphens" if r in across else f"same CAS {', '.join(r.cas)}"
            said.append((r.inchikey[:14], r.family, f"{r.family} ({via}): {r.where}", "structure"))
            said += [(k, r.family, w, "systematic") for k, w in readings(r)]
            if r in across:
                weak.add(r.inchikey[:14])
        voices, confirmed = collections.defaultdict(set), collections.defaultdict(bool)
        for k, v, _, kind in said:
            if kind != "formula":
                voices[k].add(v)
                confirmed[k] |= kind == "systematic"
        for k, v, _, kind in said:  # a formula speaks for every stated structure that has it
            if kind == "formula":
                fits = [c for c in list(voices) if formula_of_conn.get(c) == k[8:]]
                for c in fits or [k]:
                    voices[c].add(v)
        disagree = [(k, v, w) for k, v, w, _ in said if k != label]
        if not disagree:
            continue

        def score(k):
            return len(voices[k]) + 0.5 * confirmed[k]

        best = max((k for k in voices if k != label), key=score, default=None)
        agree = "; ".join(w for k, v, w, _ in said if k == label)
        against = "; ".join(f"{w} gives {k if k.startswith('formula') else smiles_of_conn.get(k, (k,))[0] + ' (' + k + ')'}"
                            for k, v, w in disagree)
        if best and not best.startswith("formula") and score(best) > score(label) and len(voices[best]) >= 2 and voices[best] - {fam} \
                and best not in weak:
            ik, smi = next(((r.inchikey, r.smiles) for r in records if r.inchikey[:14] == best and r.smiles),
                           next(((r.inchikey, "") for r in records if r.inchikey[:14] == best), (None, None)))
            if ik is None:  # only a systematic name states it
                smi = next(opsin[n] for n in opsin if opsin[n] and conn(opsin[n]) == best)
                ik = Chem.MolToInchiKey(Chem.MolFromSmiles(smi))
            row["label_corrected"] = {"inchikey": row["inchikey"], "smiles": row["smiles"],
                                      "by": f"{', '.join(sorted(voices[best]))} against {', '.join(sorted(voices[label]))}: {against}"}
            row["inchikey"], row["smiles"] = ik, smi
            counts[(row["part"], "corrected")] += 1
        elif score(label) > score(best) and (len(voices[label]) >= 2 or confirmed[label]):
            row["label_dissent"] = f"kept ({', '.join(sorted(voices[label]))}: {agree}); against it: {against}"
            counts[(row["part"], "dissent")] += 1
        else:
            row["label_conflict"] = f"{row['inchikey']} ({agree}) against {against}"
            row["_alternatives"] = [k for k in voices if k != label]
            counts[(row["part"], "conflict")] += 1

    # A record is one statement: once another source settles its structure under one of its names, the record's
    # other names whose disagreement included that structure take the same correction.
    settled = {(r["origin"], r["label_corrected"]["inchikey"]): r for r in rows if "label_corrected" in r}
    for row in rows:
        alts = row.pop("_alternatives", None)
        fix = settled.get((row["origin"], row["inchikey"]))
        if alts is None or fix is None or fix["inchikey"][:14] not in alts:
            continue
        row["label_corrected"] = {"inchikey": row["inchikey"], "smiles": row["smiles"],
                                  "by": f"the same record's correction under the name '{fix['name']}' "
                                        f"({fix['label_corrected']['by'].split(':')[0]}); here: {row.pop('label_conflict')}"}
        row["inchikey"], row["smiles"] = fix["inchikey"], fix["smiles"]
        counts[(row["part"], "conflict")] -= 1
        counts[(row["part"], "corrected")] += 1

    with open(HERE / "names.jsonl", "w", encoding="utf-8") as f:
        for row in every_row:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    for (part, what), n in sorted(counts.items()):
        print(f"{part:10s} {what:10s} {n}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1], *sys.argv[2:3])
