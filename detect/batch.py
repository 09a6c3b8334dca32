"""Scanning JSONL: one listing per line in, one result per line out, in input order; optionally in N processes.

Every input line gets exactly one result line, whatever it holds (docs/hostile-input.md):

- input is read as bytes and split on ``\\n`` only (a ``\\r`` before it is dropped); a UTF-8 byte-order mark at
  the start of a file is skipped; bytes that are not UTF-8 become U+FFFD and the result says so in ``warnings``;
- a blank line, a line that is not a JSON object, JSON nested deeper than ``max_json_depth``, a number longer than
  ``max_json_number_chars`` or out of a double's range, and ``NaN``/``Infinity`` (not JSON) get an error result;
- lone surrogates (``"\\ud800"``) in the listing's strings become U+FFFD, one for one (offsets stay right), and
  the result says so;
- output is strict JSON (no ``NaN``/``Infinity``), and an error result echoes the ``id`` only when it is a string
  or a whole number.

Workers each hold their own Detector (and their own warm OPSIN JVM); lines travel to them in chunks to keep the
inter-process cost low.
"""

from __future__ import annotations

import io
import itertools
import json
import math
import multiprocessing as mp
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate

from .engine import Detector

CHUNK = 256
BOM = b"\xef\xbb\xbf"
INVALID_UTF8 = "input line is not valid UTF-8: undecodable bytes read as U+FFFD"
OVERSIZED = "input line longer than max_line_bytes"
SURROGATES = "lone surrogates in the input read as U+FFFD"
_worker: Detector | None = None
_SURROGATE = re.compile("[\ud800-\udfff]")
_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")  # a regex finds it faster than two `in` tests (1.2 us, 3)
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?')  # a JSON string; an unterminated one runs to the end
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


@dataclass(frozen=True)
class InputLimits:
    """What one input line may hold before it is answered with an error (``[limits]`` in settings.toml)."""
    max_depth: int = 100         # arrays and objects nested in one line
    max_number_chars: int = 100  # characters of one JSON number
    max_line_bytes: int = 33554432  # bytes of one line; a longer one is not read (``read_stream``)

    @property
    def decoder(self) -> json.JSONDecoder:
        return _decoder(self)

    @classmethod
    def from_settings(cls, settings: dict) -> InputLimits:
        limits = settings.get("limits", {})
        return cls(limits.get("max_json_depth", cls.max_depth),
                   limits.get("max_json_number_chars", cls.max_number_chars),
                   limits.get("max_line_bytes", cls.max_line_bytes))


class _BadNumber(Exception):
    """A number the parser refuses (raised from the json hooks, so the parse stops at once)."""


def _error(lineno: int, why: str, listing_id=None) -> dict:
    return {"id": listing_id, "flagged": False, "score": 0.0, "hits": [], "contacts": [],
            "error": f"line {lineno}: {why}"}


def _echo_id(value) -> str | None:
    """The id an error result may repeat: a string or a whole number, never a float, list or bool."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


def nesting_depth_over(line: str, limit: int) -> bool:
    """Whether ``line`` nests arrays and objects more than ``limit`` deep (brackets inside strings do not count).
    Cheap for ordinary lines: only a line with more than ``limit`` opening brackets is looked at closer (2 MB of
    brackets: 30 ms)."""
    if line.count("[") + line.count("{") <= limit:
        return False
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", line))
    return max(accumulate(map(_STEP.__getitem__, brackets)), default=0) > limit  # C-level loops only


@lru_cache(maxsize=8)
def _decoder(limits: InputLimits) -> json.JSONDecoder:
    cap = limits.max_number_chars

    def parse_int(s: str) -> int:
        if len(s) > cap:
            raise _BadNumber(f"a number of {len(s)} digits (limit {cap} characters)")
        return int(s)

    def parse_float(s: str) -> float:
        if len(s) > cap:
            raise _BadNumber(f"a number of {len(s)} characters (limit {cap})")
        x = float(s)
        if math.isinf(x):
            raise _BadNumber(f"number out of range ({s})")
        return x

    def parse_constant(s: str):
        raise _BadNumber(f"{s} is not JSON")

    # one decoder, built once: json.loads(line, parse_int=...) would build a new one for every line (40 us)
    return json.JSONDecoder(parse_int=parse_int, parse_float=parse_float, parse_constant=parse_constant)


_DEFAULT_LIMITS = InputLimits()


def parse_line(line: str, lineno: int, limits: InputLimits | None = None,
               decoder: json.JSONDecoder | None = None) -> tuple[dict | None, dict | None]:
    """(listing, None) for a good line, (None, error result) for a bad one. Never raises. ``decoder``: the one
    ``limits`` gives (passed in by the caller of many lines, to save the look-up)."""
    limits = limits or _DEFAULT_LIMITS
    if not line or line.isspace():  # (no copy of the line, unlike strip())
        return None, _error(lineno, "blank line")
    if nesting_depth_over(line, limits.max_depth):
        return None, _error(lineno, f"JSON nested more than {limits.max_depth} levels deep")
    try:
        obj = (decoder or _decoder(limits)).decode(line)
    except _BadNumber as exc:
        return None, _error(lineno, f"not accepted: {exc}")
    except json.JSONDecodeError as exc:
        return None, _error(lineno, f"not valid JSON ({exc.msg} at column {exc.colno})")
    except (ValueError, RecursionError) as exc:  # defensive: the checks above should leave nothing for these
        return None, _error(lineno, f"not valid JSON ({type(exc).__name__})")
    if not isinstance(obj, dict):
        return None, _error(lineno, f"expected a JSON object, got {type(obj).__name__}")
    warnings = []
    if _ESCAPED_SURROGATE.search(line):  # a pair becomes one character; a lone one is replaced here
        for key, value in obj.items():
            if isinstance(value, str) and _SURROGATE.search(value):
                obj[key] = _SURROGATE.sub("\ufffd", value)
                if not warnings:
                    warnings.append(SURROGATES)
    lid = obj.get("id")
    if not isinstance(lid, (str, int)) or isinstance(lid, bool):
        return None, _error(lineno, "missing or non-string 'id'", _echo_id(lid))
    obj["id"] = str(lid)
    if warnings:
        obj["_input_warnings"] = warnings
    return obj, None


def scan_chunk(detector: Detector, chunk: list[tuple[int, str]], notes: dict[int, str] | None = None,
               limits: InputLimits | None = None) -> list[dict]:
    """One result per (line number, line) of ``chunk``, in order; ``notes`` are warnings about reading a line
    (by line number), added to its result."""
    limits = limits or _DEFAULT_LIMITS
    decoder = _decoder(limits)
    parsed = [parse_line(line, n, limits, decoder) for n, line in chunk]
    if notes:  # a line too long to read is an error, not a warning
        for i, (n, _) in enumerate(chunk):
            if notes.get(n, "").startswith(OVERSIZED):
                parsed[i] = (None, _error(n, notes.pop(n)))
    good = [listing for listing, _ in parsed if listing is not None]
    noted = {}  # line number -> warnings about reading it (rare)
    for (n, _), (listing, _) in zip(chunk, parsed):
        more = listing.pop("_input_warnings", None) if listing is not None else None
        if more or (notes and n in notes):
            noted[n] = ([notes[n]] if notes and n in notes else []) + (more or [])
    results = iter(detector.scan_many(good, batch_size=len(good) or 1))
    out = []
    for (n, _), (_, err) in zip(chunk, parsed):
        result = err if err is not None else next(results).to_json()
        if noted and n in noted:
            result["warnings"] = noted[n] + result.get("warnings", [])
        out.append(result)
    return out


def dump(result: dict, lineno: int) -> str:
    """One output line: strict JSON (a non-finite number in a result is a bug; the line still gets an answer)."""
    try:
        return json.dumps(result, ensure_ascii=False, allow_nan=False)
    except ValueError:
        return json.dumps(_error(lineno, "internal error: the result held a number that is not JSON",
                                 _echo_id(result.get("id"))), ensure_ascii=False)


@dataclass
class Block:
    """The results of one chunk of input lines: JSONL text (one line per listing) and its counts."""
    text: str
    count: int
    flagged: int
    errors: int


@dataclass
class Packed:
    """A chunk of input lines joined by newlines (one string pickles far cheaper than 256), its first line's
    number, and the reading warnings by line number."""
    first: int
    text: str
    notes: dict[int, str] = field(default_factory=dict)


def _scan_block(detector: Detector, packed: Packed) -> Block:
    chunk = [(packed.first + i, line) for i, line in enumerate(packed.text.split("\n"))]
    results = scan_chunk(detector, chunk, packed.notes, InputLimits.from_settings(detector.settings))
    text = "".join(dump(r, n) + "\n" for (n, _), r in zip(chunk, results))
    return Block(text, len(results), sum(bool(r.get("flagged")) for r in results), sum("error" in r for r in results))


def _init_worker(parent_detector: Detector) -> None:
    """The parent built the detector before forking, so a worker starts at once; each worker gets its own OPSIN
    process (a pipe shared between processes would mix their answers)."""
    global _worker
    from .opsin import Opsin

    _worker = parent_detector
    _worker.opsin = Opsin()
    _worker.prewarm = True  # its JVM boots on the worker's first systematic-name candidate


def _work(packed: Packed) -> Block:
    # one string in, one string out: pickling a 400 KB string costs far less than 256 small objects each way,
    # which keeps the parent process (reading and writing) off the critical path
    return _scan_block(_worker, packed)


def _bounded_lines(f, max_bytes: int) -> Iterator[bytes | None]:
    """The lines of a binary stream with ``readline``, None for a line longer than ``max_bytes`` (the rest of it
    is read and dropped in pieces of ``max_bytes``: memory stays bounded whatever the input)."""
    while raw := f.readline(max_bytes + 1):
        if raw.endswith(b"\n") or len(raw) <= max_bytes:  # at most max_bytes before the newline
            yield raw
            continue
        while (rest := f.readline(max_bytes)) and not rest.endswith(b"\n"):
            pass
        yield None


def read_stream(f, max_bytes: int | None = None) -> Iterator[tuple[str, str | None]]:
    """(line, reading warning or None) for every line of one binary stream: split on ``\n``, a trailing ``\r``
    and a UTF-8 byte-order mark at the start dropped, bytes that are not UTF-8 read as U+FFFD (and said). A line
    over ``max_bytes`` bytes (``[limits] max_line_bytes``) is not kept: it comes as ``("", OVERSIZED...)``, which
    ``scan_chunk`` answers with an error result."""
    if isinstance(f, io.TextIOBase):  # a text stream without a buffer (embedded use)
        f = (raw.encode("utf-8", "surrogatepass") for raw in f)
    elif max_bytes and hasattr(f, "readline"):
        f = _bounded_lines(f, max_bytes)
    f = iter(f)
    head = next(f, b"")
    if head == b"":
        return
    for raw in itertools.chain((head[3:] if head and head.startswith(BOM) else head,), f):
        if raw is None:
            yield "", f"{OVERSIZED} ({max_bytes} bytes): not read; [limits] max_line_bytes in settings.toml"
            continue
        if raw.endswith(b"\n"):
            raw = raw[:-2] if raw.endswith(b"\r\n") else raw[:-1]
        try:
            yield raw.decode("utf-8"), None
        except UnicodeDecodeError:
            yield raw.decode("utf-8", "replace"), INVALID_UTF8


def read_lines(paths: Iterable[str], max_bytes: int | None = None) -> Iterator[tuple[str, str | None]]:
    """``read_stream`` over the files in order (``-``: standard input), numbered across files."""
    for p in paths:
        if p == "-":
            yield from read_stream(getattr(sys.stdin, "buffer", None) or sys.stdin, max_bytes)
            continue
        with open(p, "rb") as f:
            yield from read_stream(f, max_bytes)


def _packed_chunks(lines: Iterable[str | tuple[str, str | None]]) -> Iterator[Packed]:
    chunk: list[str] = []
    notes: dict[int, str] = {}
    first = 1
    for n, line in enumerate(lines, start=1):
        if not chunk:
            first = n
        if line.__class__ is tuple:
            line, note = line
            if note:
                notes[n] = note
            chunk.append(line)  # from read_stream: no newline left in it
        else:
            chunk.append(line.rstrip("\r\n").replace("\n", " "))
        if len(chunk) >= CHUNK:
            yield Packed(first, "\n".join(chunk), notes)
            chunk, notes = [], {}
    if chunk:
        yield Packed(first, "\n".join(chunk), notes)


def scan_blocks(lines: Iterable[str | tuple[str, str | None]], jobs: int = 1,
                detector: Detector | None = None) -> Iterator[Block]:
    """Results for JSONL ``lines`` (strings, or (string, reading warning) pairs from ``read_lines``) in input
    order, a block per chunk of lines; with ``jobs`` > 1 in that many worker processes, each with its own Detector
    (and its own OPSIN JVM)."""
    if jobs <= 1:
        det = detector or Detector()
        for packed in _packed_chunks(lines):
            yield _scan_block(det, packed)
        return
    from .opsin import Opsin

    parent = detector or Detector(opsin=Opsin(), prewarm=False)  # shared with the workers by fork
    ctx = mp.get_context("fork")
    with ctx.Pool(jobs, initializer=_init_worker, initargs=(parent,)) as pool:
        yield from pool.imap(_work, _packed_chunks(lines), chunksize=1)
