"""Export of the store's listings with their current hits: JSON lines (the export schema) or a spreadsheet-safe
CSV."""

from __future__ import annotations

import csv
import json

from .db import export_rows, open_store


def export(db_file: str, everything: bool, fmt: str, out) -> int:
    db = open_store(db_file)
    n = 0
    if fmt == "jsonl":
        for row in export_rows(db, everything):
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            n += 1
        return n
    fields = ["url", "platform", "title", "flagged", "score", "status", "severity", "first_seen", "last_seen",
              "substances", "methods", "legal_basis"]
    writer = csv.DictWriter(out, fieldnames=fields)
    writer.writeheader()
    for row in export_rows(db, everything):
        hits = row.pop("hits")
        row["substances"] = "; ".join(sorted({h["substance"] for h in hits}))
        row["methods"] = "; ".join(sorted({h["method"] for h in hits}))
        row["legal_basis"] = "; ".join(dict.fromkeys(f"{b['jurisdiction']} ({b['severity']}): {b['basis']}"
                                                     for h in hits for b in h.get("legal") or []))
        row.pop("why", None)
        writer.writerow({k: csv_cell(v) for k, v in row.items()})
        n += 1
    return n


def csv_cell(value):
    """Listing text opened in a spreadsheet must stay text: a cell starting with = + - @ (a formula) is quoted."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
