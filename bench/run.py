"""fentwatch benchmark suite: throughput of each stage and of the whole scan, side by side, in one run.

    python bench/run.py                      # 20,000-listing mix, memory run on 100,000
    python bench/run.py --count 5000 --memory-count 0   # quick look

Prints a table, writes bench/results/<date>.json and bench/results/<date>.png (throughput per stage). Figures are
wall-clock on this machine; scans run as real `fentwatch scan` processes, so process start is included.
Network: none (everything is local files).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
FENTWATCH = [str(BIN / "fentwatch")] if (BIN / "fentwatch").exists() else [sys.executable, "-m", "fentwatch"]
PAGE = """<!doctype html><html><head><title>{title}</title><style>{css}</style><script>{js}</script></head>
<body><header><nav>{nav}</nav></header><main><h1>{title}</h1><div class="desc">{body}</div></main>
<footer>{footer}</footer><script>{js}</script></body></html>"""


def ensure_mix(count: int, path: Path) -> Path:
    if not path.exists() or sum(1 for _ in open(path, encoding="utf-8")) != count:
        subprocess.run([sys.executable, str(ROOT / "bench" / "make_mix.py"), "--count", str(count), "--out", str(path)],
                       check=True)
    return path


def _tree_rss_kb(pid: int) -> tuple[int, int]:
    """(RSS of the Python processes, RSS of the OPSIN JVMs) of a process and its children, in KB."""
    py = java = 0
    pids = [pid]
    try:
        pids += [int(p) for p in open(f"/proc/{pid}/task/{pid}/children").read().split()]
    except OSError:
        pass
    for p in list(pids):
        try:
            pids += [int(c) for c in open(f"/proc/{p}/task/{p}/children").read().split() if int(c) not in pids]
        except OSError:
            pass
    for p in set(pids):
        try:
            status = open(f"/proc/{p}/status").read()
        except OSError:
            continue
        rss = int(next((line.split()[1] for line in status.splitlines() if line.startswith("VmRSS")), 0))
        name = next((line.split()[1] for line in status.splitlines() if line.startswith("Name")), "")
        if name == "java":
            java += rss
        else:
            py += rss
    return py, java


def run_scan(path: Path, jobs: int) -> dict:
    """One real `fentwatch scan` process: wall time, CPU time, and peak memory sampled every 0.2 s."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.Popen(FENTWATCH + ["scan", str(path), "-o", os.devnull, "--jobs", str(jobs), "--no-progress"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak_py = peak_java = 0
    while proc.poll() is None:
        py, java = _tree_rss_kb(proc.pid)
        peak_py, peak_java = max(peak_py, py), max(peak_java, java)
        time.sleep(0.2)
    stderr = proc.stderr.read()
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"fentwatch scan failed: {stderr}")
    n = sum(1 for _ in open(path, encoding="utf-8"))
    return {"listings": n, "jobs": jobs, "seconds": round(wall, 2), "per_second": round(n / wall),
            "cpu_seconds": round((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), 2),
            "peak_python_mb": round(peak_py / 1024), "peak_opsin_jvm_mb": round(peak_java / 1024),
            "summary": stderr.strip().splitlines()[-1]}


def median_run(path: Path, jobs: int, repeat: int) -> dict:
    """The run with the median wall time of ``repeat`` runs (single runs vary by 10-15% on this machine)."""
    runs = sorted((run_scan(path, jobs) for _ in range(repeat)), key=lambda r: r["seconds"])
    best = dict(runs[len(runs) // 2])
    best["all_seconds"] = [r["seconds"] for r in runs]
    return best


def timed(fn, items) -> float:
    t0 = time.perf_counter()
    for x in items:
        fn(x)
    return time.perf_counter() - t0


def stage_rates(listings: list[dict]) -> dict:
    from detect import Detector
    from detect.baseline import KeywordBlacklist
    from detect.html import html_to_text
    from detect.normalize import normalize

    det = Detector()
    texts = [f"{x['title']}\n{x['text']}" for x in listings]
    pages = [PAGE.format(title=x["title"], body="".join(f"<p>{line}</p>" for line in x["text"].split("\n")),
                         css="body{font:14px sans-serif}" * 400, js="var cart=[];function add(i){cart.push(i)}" * 300,
                         nav="".join(f"<a href='/c/{i}'>Category {i}</a>" for i in range(120)),
                         footer="About us | Contact | Terms | Privacy " * 40) for x in listings[:3000]]
    base = KeywordBlacklist(det.lex)
    out = {}
    out["html_to_text_pages_per_s"] = round(len(pages) / timed(html_to_text, pages))
    out["page_kb"] = round(statistics.mean(len(p) for p in pages) / 1024, 1)
    out["normalize_per_s"] = round(len(texts) / timed(normalize, texts))
    norms = [normalize(t) for t in texts]
    out["prefilter_per_s"] = round(len(norms) / timed(
        lambda n: (det.prefilter.name_spans(n.words.text), det.prefilter.cas_spans(n.norm.text)), norms))
    out["keyword_baseline_per_s"] = round(len(listings) / timed(base.flags, listings))
    list(det.scan_many(listings[:500]))  # warm: OPSIN JVM, caches
    t0 = time.perf_counter()
    list(det.scan_many(listings))
    out["scan_in_process_per_s"] = round(len(listings) / (time.perf_counter() - t0))
    per = []
    for x in listings:
        t = time.perf_counter()
        det.scan(x)
        per.append(((time.perf_counter() - t) * 1000, x["id"]))
    per.sort()
    ms = [p for p, _ in per]
    out["per_listing_ms"] = {"p50": round(ms[len(ms) // 2], 3), "p99": round(ms[int(len(ms) * 0.99)], 3),
                             "max": round(ms[-1], 3), "slowest": [i for _, i in per[-5:]][::-1]}
    return out


def chart(results: dict, path: Path) -> None:
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib not installed: no chart (pip install matplotlib)", file=sys.stderr)
        return
    s = results["stages"]
    bars = [("HTML -> text\n(pages/s)", s["html_to_text_pages_per_s"]), ("normalize", s["normalize_per_s"]),
            ("prefilter", s["prefilter_per_s"]), ("keyword\nbaseline", s["keyword_baseline_per_s"]),
            ("full scan\nin process", s["scan_in_process_per_s"]),
            ("fentwatch scan\n--jobs 1", results["scan_jobs1"]["per_second"]),
            ("fentwatch scan\n--jobs 2", results["scan_jobs2"]["per_second"])]
    fig, ax = plt.subplots(figsize=(10, 4.5))
    ax.bar([b[0] for b in bars], [b[1] for b in bars], color=["#888"] * 4 + ["#2a6", "#26a", "#26a"])
    ax.set_yscale("log")
    ax.set_ylim(bottom=100)
    ax.set_ylabel("listings per second (log)")
    ax.axhline(2000, color="red", linestyle="--", linewidth=1)
    ax.text(len(bars) - 0.5, 2100, "goal 2,000/s", color="red", ha="right", fontsize=8)
    for i, (_, v) in enumerate(bars):
        ax.text(i, v * 1.1, f"{v:,}", ha="center", fontsize=8)
    ax.set_title(f"fentwatch throughput per stage, {results['date']}, {results['machine']['cpu']}")
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--count", type=int, default=20000, help="listings in the throughput mix")
    ap.add_argument("--memory-count", type=int, default=100000, help="listings for the peak-memory run (0: skip)")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each fentwatch scan; the median is reported")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = ap.parse_args()
    data = ROOT / "bench" / "data"
    mix = ensure_mix(args.count, data / f"mix-{args.count}.jsonl")
    listings = [json.loads(line) for line in open(mix, encoding="utf-8")]
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")),
               platform.processor())
    results = {"date": dt.date.today().isoformat(),
               "machine": {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(),
                           "system": platform.platform()},
               "mix": {"listings": len(listings), "mean_chars": round(statistics.mean(len(x["text"]) for x in listings))}}
    import detect.prefilter
    results["prefilter_engine"] = "hyperscan" if detect.prefilter.hyperscan is not None else "pyahocorasick"
    print(f"mix: {len(listings)} listings, mean {results['mix']['mean_chars']} characters", file=sys.stderr)
    results["scan_jobs1"] = median_run(mix, 1, args.repeat)
    results["scan_jobs2"] = median_run(mix, 2, args.repeat)
    results["stages"] = stage_rates(listings)
    if args.memory_count:
        big = ensure_mix(args.memory_count, data / f"mix-{args.memory_count}.jsonl")
        results["memory_run"] = run_scan(big, 1)
        results["memory_run_jobs2"] = run_scan(big, 2)
    args.out.mkdir(parents=True, exist_ok=True)
    stem = args.out / results["date"]
    stem.with_suffix(".json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    chart(results, stem.with_suffix(".png"))
    s, j1, j2 = results["stages"], results["scan_jobs1"], results["scan_jobs2"]
    rows = [
        ("fentwatch scan --jobs 1 (process start included)", f"{j1['per_second']:,} listings/s",
         f"median of {j1['all_seconds']} s"),
        ("fentwatch scan --jobs 2", f"{j2['per_second']:,} listings/s",
         f"{j2['per_second'] / j1['per_second']:.2f}x; CPU {j1['cpu_seconds']} -> {j2['cpu_seconds']} s"),
        ("full scan, in process, warm", f"{s['scan_in_process_per_s']:,} listings/s", ""),
        ("keyword-blacklist baseline", f"{s['keyword_baseline_per_s']:,} listings/s", ""),
        (f"bare HTML -> text ({s['page_kb']} KB pages)", f"{s['html_to_text_pages_per_s']:,} pages/s", ""),
        ("normalize", f"{s['normalize_per_s']:,} listings/s", ""),
        (f"prefilter ({results['prefilter_engine']})", f"{s['prefilter_per_s']:,} listings/s", ""),
        ("per listing p50 / p99 / max", f"{s['per_listing_ms']['p50']} / {s['per_listing_ms']['p99']} / "
                                        f"{s['per_listing_ms']['max']} ms", ", ".join(s['per_listing_ms']['slowest'][:3])),
    ]
    if "memory_run" in results:
        m, m2 = results["memory_run"], results["memory_run_jobs2"]
        rows.append((f"fentwatch scan, {m['listings']:,} listings, --jobs 1 / 2",
                     f"{m['per_second']:,} / {m2['per_second']:,} /s", f"{m2['per_second'] / m['per_second']:.2f}x"))
        rows.append((f"peak memory scanning {m['listings']:,} listings",
                     f"{m['peak_python_mb'] + m['peak_opsin_jvm_mb']} MB",
                     f"Python {m['peak_python_mb']} MB + OPSIN JVM {m['peak_opsin_jvm_mb']} MB; "
                     f"{j1['peak_python_mb']} MB at {j1['listings']:,}"))
    print(f"\nfentwatch benchmark, {results['date']}, {cpu}, {os.cpu_count()} cores, Python {platform.python_version()}")
    for name, value, extra in rows:
        print(f"  {name:52s} {value:>22s}  {extra}")
    print(f"\nresults: {stem.with_suffix('.json')}  chart: {stem.with_suffix('.png')}")


if __name__ == "__main__":
    main()
