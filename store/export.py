"""Export of the store's listings with their current hits: JSON lines (the export schema) or a spreadsheet-safe
CSV."""

from __future__ import annotations

import csv
import json
import unicodedata

from .db import export_rows, open_store


def export(db_file: str, everything: bool, fmt: str, out, filters: dict | None = None) -> int:
    db = open_store(db_file)
    n = 0
    if fmt == "jsonl":
        for row in export_rows(db, everything, filters):
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            n += 1
        return n
    fields = ["id", "url", "platform", "seller", "price", "title", "flagged", "manual_flag", "score", "status",
              "first_seen", "last_seen", "hits", "substances", "methods", "evidence_sha256", "decided_by",
              "decided_at"]
    writer = csv.DictWriter(out, fieldnames=fields)
    writer.writeheader()
    for row in export_rows(db, everything, filters):
        hits = row["hits"]
        row["hits"] = len(hits)
        row["substances"] = "; ".join(sorted({h["substance"] for h in hits}))
        row["methods"] = "; ".join(sorted({h["method"] for h in hits}))
        writer.writerow({k: csv_cell(v) for k, v in row.items()})
        n += 1
    return n


def _lead(value: str) -> str:
    """The first character a spreadsheet may act on: after leading whitespace (NBSP, newlines, ...) and control
    characters, which spreadsheets skip before reading a formula."""
    for c in value:
        if not (c.isspace() or unicodedata.category(c) in ("Cc", "Cf", "Zs", "Zl", "Zp")):
            return c
    return ""


def csv_cell(value):
    """Listing text opened in a spreadsheet must stay text: a cell whose first character (past leading whitespace
    and control characters) is = + - @ (a formula), or that starts with a tab or CR, is quoted."""
    if isinstance(value, str) and (_lead(value) in ("=", "+", "-", "@") or value[:1] in ("\t", "\r")):
        return "'" + value
    return value
