"""detente benchmark: throughput against bare spaCy, memory against corpus size, and where time goes.

    make bench            # full: 2,000-article corpus, plus the 20,000-article memory run
    .venv/bin/python bench/bench.py --quick     # skips the 20,000-article run

Everything is measured in this one run, on the same texts, as ratios:
1. a deterministic corpus of realistic articles (the examples' paragraphs recombined, re-wrapped
   and given page furniture; written under bench/out/, not committed);
2. bare spaCy: nlp.pipe with the model, batch size and process count detente uses, over the
   cleaned texts;
3. `detente code` end to end to /dev/null, and `detente ingest` into a fresh DuckDB file;
4. words/s, articles/s, peak RSS of the whole process tree, a per-module profile of detente's own
   code; the last line is the ratio line.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import random
import re
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
BIN = Path(sys.executable).parent
SEED = 7
COUNTRIES = [("Russia", "Russian"), ("Turkey", "Turkish"), ("Iran", "Iranian"), ("China", "Chinese"), ("France", "French"),
             ("Egypt", "Egyptian"), ("India", "Indian"), ("Japan", "Japanese"), ("Brazil", "Brazilian"), ("Ukraine", "Ukrainian")]
FURNITURE = ["Advertisement", "Related article: Talks resume after months of tension", "Share this article",
             "Photo: a convoy on the road. Jane Roe / AFP"]


def paragraph_pool() -> list[str]:
    sys.path.insert(0, str(ROOT / "src"))
    from detente.clean import clean
    from detente.ingest import read_inputs
    from detente.types import RawDoc

    pool = []
    for raw in read_inputs([ROOT / "examples"]):
        if isinstance(raw, RawDoc):
            pool.extend(p for p in clean(raw).text.split("\n\n") if len(p.split()) > 12)
    return pool


def wrap(text: str, width: int = 78) -> str:
    lines, line = [], ""
    for word in text.split():
        if len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "\n".join(lines + [line])


def make_corpus(n: int, folder: Path) -> tuple[int, int]:
    """n articles of ~500 words each, deterministic; returns (articles, words)."""
    marker = folder / ".complete"
    if marker.exists():
        articles, words = map(int, marker.read_text().split())
        return articles, words
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(SEED)
    pool = paragraph_pool()
    total_words = 0
    for i in range(n):
        country, demonym = rng.choice(COUNTRIES)
        paragraphs = rng.sample(pool, k=min(len(pool), rng.randint(14, 20)))
        body = [p.replace("Russia", country).replace("Russian", demonym) for p in paragraphs]
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        pieces = [f"Report {i}: {demonym} and U.S. officials trade moves", *map(wrap, body)]
        pieces.insert(rng.randint(2, len(pieces)), rng.choice(FURNITURE))
        pieces.append(f"Original url: https://bench.example.org/2023/{month:02}/{day:02}/report-{i}")
        text = "\n\n".join(pieces) + "\n"
        total_words += len(" ".join(body).split())
        (folder / f"{i:05}.txt").write_text(text, encoding="utf-8")
    marker.write_text(f"{n} {total_words}")
    return n, total_words


# --- measuring ---------------------------------------------------------------------------


def tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants, from /proc (Linux)."""
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    stack.extend(int(c) for c in fh.read().split())
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total


def run_measured(cmd: list[str], **kw) -> tuple[float, int]:
    """Wall time and peak resident memory (process tree, sampled every 50 ms) of a command."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, **kw)
    peak = 0
    done = threading.Event()

    def sample():
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss_kb(proc.pid))
            time.sleep(0.05)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    rc = proc.wait()
    done.set()
    thread.join()
    if rc != 0:
        raise SystemExit(f"{' '.join(map(str, cmd))} failed with exit status {rc}")
    return time.perf_counter() - start, peak


BARE_SPACY = """
import sys, time
from pathlib import Path
from detente.clean import clean
from detente.ingest import read_inputs
from detente.metadata import extract_metadata
from detente.nlp import load_nlp
from detente.settings import load_settings
settings = load_settings()
texts = [extract_metadata(clean(r)).text for r in read_inputs([sys.argv[1]])]
nlp = load_nlp(settings.model)
start = time.perf_counter()
for _ in nlp.pipe(texts, batch_size=settings.batch_size, n_process=int(sys.argv[2])):
    pass
print(time.perf_counter() - start)
"""


def bare_spacy(corpus: Path, workers: int) -> tuple[float, int]:
    """nlp.pipe over the cleaned texts: (seconds of parsing, peak RSS)."""
    out = OUT / "spacy_time.txt"
    with out.open("w") as fh:
        _, peak = run_measured([sys.executable, "-c", BARE_SPACY, str(corpus), str(workers)], stdout=fh)
    return float(out.read_text().split()[-1]), peak


# The functions that make up each stage; their cumulative profiled time is the stage's cost.
STAGE_FUNCTIONS = {
    "ingest (read, decode)": ("ingest.py", "read_file"),
    "clean": ("clean.py", "clean"),
    "metadata": ("metadata.py", "extract_metadata"),
    "actors (KB mentions)": ("actors.py", "mentions"),
    "events (parse rules, classifier, actors)": ("coder/candidates.py", "code_sentence"),
    "dates": ("dates.py", "resolve_event_date"),
    "geo": ("geo.py", "place_for_event"),
}


def profile_share(corpus: Path, n: int = 200) -> list[tuple[str, float]]:
    """Share of single-process coding time per stage (cProfile cumulative time), over n articles;
    what is left is spaCy's pipeline and the batch runner."""
    from detente import Coder, Settings, code_documents, read_inputs

    coder = Coder.load(Settings(workers=1))
    files = sorted(corpus.glob("*.txt"))[:n]
    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.enable()
    for _ in code_documents(read_inputs(files), coder=coder, workers=1):
        pass
    profiler.disable()
    total = time.perf_counter() - start
    stats = pstats.Stats(profiler).stats
    shares = []
    for stage, (file, func) in STAGE_FUNCTIONS.items():
        cum = sum(v[3] for (f, _, name), v in stats.items() if f.endswith(f"detente/{file}") and name == func)
        shares.append((stage, cum / total))
    shares.append(("spaCy pipeline + batch runner (the rest)", 1 - sum(s for _, s in shares)))
    return sorted(shares, key=lambda kv: -kv[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--scale-articles", type=int, default=20000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--quick", action="store_true", help="skip the large-corpus memory run")
    args = parser.parse_args()
    os.environ.setdefault("DETENTE_CACHE", str(ROOT / ".cache" / "detente"))
    corpus = OUT / f"corpus-{args.articles}"
    n_articles, n_words = make_corpus(args.articles, corpus)
    print(f"corpus: {n_articles} articles, {n_words:,} words ({corpus.relative_to(ROOT)})")

    spacy_s, spacy_rss = bare_spacy(corpus, args.workers)
    code_s, code_rss = run_measured([str(BIN / "detente"), "code", str(corpus), "--workers", str(args.workers), "--quiet"],
                                    stdout=subprocess.DEVNULL)
    db = OUT / "bench.duckdb"
    for leftover in (db, Path(f"{db}.wal")):
        leftover.unlink(missing_ok=True)
    ingest_s, ingest_rss = run_measured([str(BIN / "detente"), "ingest", str(corpus), "--db", str(db), "--workers",
                                         str(args.workers), "--quiet"])

    def line(name, seconds, rss):
        print(f"{name:<22} {seconds:8.1f} s  {n_words / seconds:9.0f} words/s  {n_articles / seconds:7.1f} articles/s"
              f"  peak RSS {rss / 1024:7.0f} MB")

    print(f"\nworkers: {args.workers} processes on {os.cpu_count()} cores; batch size from settings")
    line("spaCy nlp.pipe (parse)", spacy_s, spacy_rss)
    line("detente code", code_s, code_rss)
    line("detente ingest", ingest_s, ingest_rss)

    print("\nwhere single-process coding time goes (cProfile cumulative time, 200 articles):")
    for name, share in profile_share(corpus)[:12]:
        print(f"  {share * 100:5.1f}%  {name}")

    if not args.quick:
        big = OUT / f"corpus-{args.scale_articles}"
        make_corpus(args.scale_articles, big)
        _, big_rss = run_measured([str(BIN / "detente"), "code", str(big), "--workers", str(args.workers), "--quiet"],
                                  stdout=subprocess.DEVNULL)
        growth = big_rss / code_rss - 1
        verdict = "within 10%" if growth <= 0.10 else "OVER 10%"
        print(f"\npeak RSS of detente code: {code_rss / 1024:.0f} MB at {n_articles:,} articles, "
              f"{big_rss / 1024:.0f} MB at {args.scale_articles:,} ({growth * 100:+.1f}%, {verdict})")

    print(f"\ndetente/spacy throughput ratio: {spacy_s / code_s:.2f} (ingest {spacy_s / ingest_s:.2f})")


if __name__ == "__main__":
    main()
