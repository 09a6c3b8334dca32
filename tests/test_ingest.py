"""`fentwatch ingest` run as the real command over a real store: JSONL and CSV, errors by line, idempotent re-runs,
standard input, and a run killed with SIGKILL in the middle resumed without losing or duplicating anything."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import time

from clirun import fentwatch
from store.db import open_store
from review_app import CORPUS, ROOT, read_jsonl
from warmrun import command_pid, warm_with_pid


def ingest(*args, stdin: str | None = None) -> subprocess.CompletedProcess:
    """The real `fentwatch ingest` command, in this process (clirun): the run killed with SIGKILL below is the one
    test whose subject is a process, and it starts one of its own (forked warm, warmrun.py)."""
    done = fentwatch("ingest", *args, input=stdin)
    return subprocess.CompletedProcess(["fentwatch", "ingest", *args], done.exit_code, done.stdout, done.stderr)


def export(n: int) -> list[dict]:
    """``n`` platform records made from the labeled corpus, each under its own platform id."""
    corpus = read_jsonl(CORPUS / "listings.jsonl")
    out = []
    for i in range(n):
        x = corpus[i % len(corpus)]
        out.append({"id": f"P{i:05d}", "url": f"https://shop.example.com/item/{i}", "title": x.get("title"),
                    "text": f"{x.get('text') or ''}\nItem {i}", "seller": x.get("seller"), "price": "USD 10"})
    return out


def table_counts(db) -> tuple[int, int, int]:
    s = open_store(db)
    try:
        return tuple(s.execute(q).fetchone()[0] for q in (
            "select count(*) from listings", "select count(*) from api_listings", "select count(*) from snapshots"))
    finally:
        s.close()


def test_jsonl_errors_by_line_and_an_idempotent_second_run(tmp_path):
    db, src = tmp_path / "s.db", tmp_path / "export.jsonl"
    good = export(5)
    lines = [json.dumps(good[0]), '{"id": "bad", "title": ', json.dumps(good[1]), json.dumps({"title": "no id"}),
             json.dumps(good[2]), json.dumps({"id": "x", "price": [1]}), json.dumps(good[3]), json.dumps(good[4])]
    src.write_bytes(("\n".join(lines) + "\n").encode() + b'{"id": "u", "text": "\xff"}\n')
    first = ingest(str(src), "--platform", "shop", "--db", str(db))
    assert first.returncode == 0, first.stderr
    assert "9 read, 5 new, 0 changed, 0 unchanged" in first.stdout and "4 errors" in first.stdout
    for expected in ("line 2: malformed JSON", "line 4: missing or empty 'id'", "line 6: 'price' must be",
                     "line 9: not valid UTF-8"):
        assert expected in first.stderr, first.stderr
    assert table_counts(db) == (5, 5, 5)
    second = ingest(str(src), "--platform", "shop", "--db", str(db))
    assert "9 read, 0 new, 0 changed, 5 unchanged" in second.stdout
    assert table_counts(db) == (5, 5, 5)
    good[1]["price"] = "USD 11"
    src.write_text(json.dumps(good[1]) + "\n", encoding="utf-8")
    third = ingest(str(src), "--platform", "shop", "--db", str(db))
    assert "1 read, 0 new, 1 changed" in third.stdout
    assert table_counts(db) == (5, 5, 6)  # a new version: one more snapshot, the same listing


def test_csv_and_standard_input(tmp_path):
    db, src = tmp_path / "s.db", tmp_path / "export.csv"
    rows = export(4)
    with open(src, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=["id", "url", "title", "text", "seller", "price"])
        w.writeheader()
        w.writerows(rows[:3])
        w.writerow({"id": "", "title": "no id"})
    done = ingest(str(src), "--platform", "shop", "--db", str(db))
    last_line = len(src.read_text(encoding="utf-8").splitlines())  # the text cells span several lines
    assert "4 read, 3 new" in done.stdout and "1 errors" in done.stdout
    assert f"line {last_line}: missing" in done.stderr
    piped = ingest("-", "--platform", "shop", "--db", str(db), stdin=json.dumps(rows[3]) + "\n" + json.dumps(rows[0]))
    assert "2 read, 1 new, 0 changed, 1 unchanged" in piped.stdout
    stored = open_store(db).execute("select text from listings l join api_listings a on a.listing_id = l.id "
                                    "where a.external_id = 'P00001'").fetchone()[0]
    assert stored == rows[1]["text"]  # a multi-line CSV cell arrives whole
    assert ingest(str(tmp_path / "missing.jsonl"), "--platform", "shop", "--db", str(db)).returncode == 1


def test_ingest_killed_mid_run_resumes_losing_and_duplicating_nothing(tmp_path):
    db, src = tmp_path / "s.db", tmp_path / "export.jsonl"
    n = 600  # killed once 200 are stored (two chunks of 100): four chunks still to do, scanning for seconds
    src.write_text("".join(json.dumps(r) + "\n" for r in export(n)), encoding="utf-8")
    open_store(db).close()
    # a process of its own forked from a warm one (warmrun.py), killed itself: its start-up is not the subject
    pid_file = tmp_path / "ingest.pid"
    proc = subprocess.Popen(warm_with_pid(pid_file) + ["ingest", str(src), "--platform", "shop", "--db", str(db)],
                            cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    ingest_pid = command_pid(pid_file, proc)
    deadline = time.monotonic() + 300
    done_before = 0
    while time.monotonic() < deadline and proc.poll() is None:
        s = open_store(db)
        row = s.execute("select line from ingest_runs order by id desc limit 1").fetchone()
        s.close()
        if row and row[0] >= 200:
            os.kill(ingest_pid, signal.SIGKILL)
            done_before = row[0]
            break
        time.sleep(0.02)
    proc.wait(30)
    assert proc.returncode == -signal.SIGKILL, "the run ended before it could be killed"
    assert 200 <= done_before < n
    listings, mapped, snaps = table_counts(db)
    assert listings == mapped == snaps < n  # what was stored is whole: no listing without its mapping or evidence
    again = ingest(str(src), "--platform", "shop", "--db", str(db))
    assert again.returncode == 0, again.stderr
    assert "resumed after record" in again.stderr
    assert f"{n} read, {n} new, 0 changed, 0 unchanged" in again.stdout and "0 errors" in again.stdout
    assert table_counts(db) == (n, n, n)
    ids = {r[0] for r in open_store(db).execute("select external_id from api_listings")}
    assert ids == {f"P{i:05d}" for i in range(n)}


def test_ingest_scans_with_the_stores_lexicon_additions(tmp_path):
    """A code word a lead taught the store's lexicon is found in ingested records, as in crawls and scans."""
    from review.auth import Session
    from store import additions

    db, src = tmp_path / "s.db", tmp_path / "export.jsonl"
    store = open_store(db)
    additions.add(store, Session("alice", "lead", "csrf", "token"),
                  {"kind": "synonym", "text": "bluecastle", "substance_id": "fentanyl", "name_kind": "codes",
                   "why": "seen on a shop page"})
    store.close()
    src.write_text(json.dumps({"id": "B1", "title": "Bluecastle 99% in stock",
                               "text": "Bluecastle white powder, 99% purity, 10g bags. Price USD 50/g. "
                                       "Contact: +00 000 0000"}) + "\n", encoding="utf-8")
    done = ingest(str(src), "--platform", "shop", "--db", str(db))
    assert done.returncode == 0, done.stderr
    assert "1 flagged" in done.stdout
    s = open_store(db)
    try:
        assert s.execute("select flagged from listings").fetchone()[0] == 1
    finally:
        s.close()
