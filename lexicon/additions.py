"""Local additions to the lexicon made by moderators: new synonyms (code words, misspellings) of a substance, and
names of harmless look-alikes. They are merged over the shipped lexicon into a new Lexicon with its own version,
validated by the same clash rules as the shipped data, and exported in the lexicon's own YAML format for review.

An addition is a plain mapping: {"kind": "synonym" | "lookalike", "text", "substance_id" (synonyms),
"name_kind" (synonyms: common, codes, misspellings, ...), "by", "at", "why"}.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import re

import yaml

from .loader import NAME_KINDS, Lexicon, Lookalike, Name

KINDS = ("synonym", "lookalike")
SYNONYM_KINDS = ("misspellings", "codes", "common", "abbreviations", "zh", "es", "fr")


def merged(lex: Lexicon, additions: list[dict]) -> Lexicon:
    """The shipped lexicon with the additions applied; its version hashes the shipped version and the additions."""
    if not additions:
        return lex
    extra: dict[str, list[Name]] = {}
    lookalikes = list(lex.lookalikes)
    for a in additions:
        if a["kind"] == "synonym":
            extra.setdefault(a["substance_id"], []).append(Name(a["text"], a.get("name_kind") or "misspellings"))
        else:
            lookalikes.append(Lookalike(a["text"], (), (), None, None, a.get("why", "")))
    substances = [dataclasses.replace(s, names=s.names + tuple(extra[s.id])) if s.id in extra else s
                  for s in lex.substances]
    digest = hashlib.sha256(json.dumps([lex.version] + [[a["kind"], a.get("substance_id"), a["text"],
                                                          a.get("name_kind")] for a in additions]).encode())
    return Lexicon(substances, lookalikes, f"{lex.version}+local.{digest.hexdigest()[:8]}")


def problems(lex: Lexicon, addition: dict) -> list[str]:
    """Why this addition may not be made: the shipped lexicon's rules, applied to the lexicon with it merged."""
    from .validate import check_clashes  # validate imports RDKit: only when someone adds something

    text = (addition.get("text") or "").strip()
    out = []
    if addition.get("kind") not in KINDS:
        return [f"kind must be one of {', '.join(KINDS)}"]
    if len(text) < 3 or len(text) > 200:
        out.append("a name has 3 to 200 characters")
    if not (addition.get("why") or "").strip():
        out.append("say why (for example: the listing where the word was seen)")
    if addition["kind"] == "synonym":
        if addition.get("substance_id") not in lex.by_id:
            out.append("choose the substance the synonym names")
        if (addition.get("name_kind") or "misspellings") not in NAME_KINDS:
            out.append(f"name kind must be one of {', '.join(NAME_KINDS)}")
        elif text.casefold() in {n.text.casefold() for n in lex.by_id.get(addition.get("substance_id"),
                                                                           lex.substances[0]).all_names()}:
            out.append(f"'{text}' is already a name of this substance")
    if addition["kind"] == "lookalike" and text.casefold() in {la.name.casefold() for la in lex.lookalikes}:
        out.append(f"'{text}' is already a look-alike")
    if out:
        return out
    before = {str(p) for p in check_clashes(lex.substances, lex.lookalikes)}
    after = merged(lex, [dict(addition, text=text)])
    return [str(p) for p in check_clashes(after.substances, after.lookalikes) if str(p) not in before]


def _inert(value) -> str:
    """A value for a comment line: JSON-quoted in ASCII, so no newline (CR, LF, NEL, U+2028, ...) can end the
    comment and inject YAML."""
    return json.dumps(str(value or ""), ensure_ascii=True)


def _lines(value: str) -> str:
    """Every line break as LF, which YAML keeps in a quoted value (CR, NEL, U+2028 and U+2029 it folds)."""
    return re.sub(r"\r\n?|[\x85\u2028\u2029]", "\n", value or "")


def to_yaml(additions: list[dict], source: str = "") -> str:
    """The additions in the lexicon's own format: a ``names`` block per substance file, and ``lookalikes`` rows."""
    subs: dict[str, dict[str, list[str]]] = {}
    looks = []
    for a in additions:
        if a["kind"] == "synonym":
            kind = a.get("name_kind") or "misspellings"
            subs.setdefault(a["substance_id"], {}).setdefault(kind, []).append(a["text"])
        else:
            looks.append({"name": a["text"], "synonyms": [], "cas": [], "why": _lines(a.get("why", ""))})
    header = [f"# fentwatch lexicon additions{' from ' + source if source else ''}, exported "
              f"{dt.datetime.now(dt.timezone.utc).date().isoformat()}",
              "# Merge each 'names' block into lexicon/substances/<id>.yaml and each look-alike into",
              "# lexicon/lookalikes.yaml, with a source for each, then run: fentwatch lexicon check",
              "# Who added what, and why:"]
    header += [f"#   {_inert(a['at'])} {_inert(a['by'])}: {a['kind']} {_inert(a['text'])}"
               f"{' of ' + _inert(a['substance_id']) if a.get('substance_id') else ''}: {_inert(a.get('why', ''))}"
               for a in additions]
    body = {"substances": {sid: {"names": names} for sid, names in subs.items()}, "lookalikes": looks}
    return "\n".join(header) + "\n" + yaml.safe_dump(body, allow_unicode=True, sort_keys=False)
