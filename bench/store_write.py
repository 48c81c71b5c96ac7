"""Issue 2: time per persisted state write, tracker's store vs stock one-file TinyDB.

For each library size, the same generated episodes go into (a) a tracker library,
where a write is a real `progress` report (state plus its history entry, each file
replaced atomically under the lock), and (b) stock TinyDB with JSONStorage, catalog
and state in one file, where a write is one state upsert. Medians; ratio = stock / ours.

Then the commits of a bulk import: --commits commits of --batch new episodes each
(listing, details and 1.6 KB of notes, hex ids over the sixteen shards) into a growing
library, as `tracker import` batches them; each commit's median wall and CPU time
over --repeat runs, with additions spliced onto the files' bytes and, as the baseline
in the same run, with every file encoded whole (CPU time, fsync threads included, is
the steadier figure on a shared machine). The collector runs before each commit, so
a collection falls in none of them (it costs both the same).

    python bench/store_write.py [--sizes 1000,10000,100000] [--commits 5] [--batch 20000] [--repeat 3]
    python bench/store_write.py --only import
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import orjson  # noqa: E402
from common import cpu_now, median_time, ms, table  # noqa: E402
from generate import add_history, episode_doc, make_library, sentence  # noqa: E402
from tinydb import TinyDB  # noqa: E402
from tinydb.storages import JSONStorage  # noqa: E402
from tinydb.table import Document  # noqa: E402

from store.storage import AtomicJSONStorage  # noqa: E402
from tracker.model.catalog import ShowUpdate, merge_shows  # noqa: E402
from tracker.model.files import split  # noqa: E402
from tracker.model.library import Library  # noqa: E402


def stock_db(folder: Path, library: Library) -> TinyDB:
    """The same catalog and state in one stock TinyDB file."""
    path = folder / "stock.json"
    notes = {eid: {"text": text} for eid, text in library.descriptions()}
    data = {
        "episodes": {str(i): {**doc, "description": notes.get(eid, {}).get("text", "")}
                     for i, (eid, doc) in enumerate(library.episode_docs().items(), start=1)},
        "state": {str(i): doc for i, doc in enumerate(library.state_docs().values(), start=1)},
    }
    path.write_bytes(orjson.dumps(data))
    return TinyDB(path, storage=JSONStorage)


def import_batches(commits: int, batch: int, per_show: int = 1000, seed: int = 3) -> list[list[ShowUpdate]]:
    """What an import commits: shows of ``per_show`` episodes, split as the importer splits them."""
    rng = random.Random(seed)
    out = []
    for c in range(commits):
        updates = []
        for s in range(0, batch, per_show):
            sid = f"show{c:03d}{s // per_show:04d}"
            listings, details, notes = {}, {}, {}
            for i in range(min(per_show, batch - s)):
                eid = hashlib.sha1(f"{sid} {i}".encode()).hexdigest()[:12]
                listings[eid], details[eid] = split(episode_doc(rng, f"Show {sid}", sid, i))
                notes[eid] = sentence(rng, 220)[:1600]
            updates.append(ShowUpdate(sid, {"title": f"Show {sid}", "kind": "rss"}, listings, notes, details))
        out.append(updates)
    return out


def import_commits(batches: list[list[ShowUpdate]], splice: bool) -> tuple[list[tuple[float, float]], list[float]]:
    """Wall and CPU seconds of each commit into a new library, and its size in MB after each."""
    AtomicJSONStorage.splice = splice
    times, sizes = [], []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            library = Library(Path(tmp) / "lib")
            for updates in batches:
                gc.collect()
                cpu, started = cpu_now(), time.perf_counter()
                merge_shows(library, updates)
                times.append((time.perf_counter() - started, cpu_now() - cpu))
                sizes.append(sum(p.stat().st_size for p in (Path(tmp) / "lib").glob("*.json")) / 1e6)
    finally:
        AtomicJSONStorage.splice = True
    return times, sizes


def import_table(commits: int, batch: int, repeat: int) -> str:
    batches = import_batches(commits, batch)
    runs: dict[bool, list[list[tuple[float, float]]]] = {False: [], True: []}
    sizes: list[float] = []
    for r in range(repeat):  # alternated, so a busy moment of the machine costs both alike
        for splice in (False, True):
            times, sizes = import_commits(batches, splice)
            runs[splice].append(times)
            print(f"measured import commits, run {r + 1}, {'spliced' if splice else 'encoded whole'}", file=sys.stderr)

    def median(splice: bool, k: int | None, part: int) -> float:
        return statistics.median(run[k][part] if k is not None else sum(t[part] for t in run) for run in runs[splice])

    rows = []
    for k in [*range(commits), None]:
        label = f"{k + 1}: +{batch:,} episodes" if k is not None else "all commits"
        cells = [label, f"{sizes[k]:,.0f} MB" if k is not None else ""]
        for part in (0, 1):  # wall, then CPU
            whole, spliced = median(False, k, part), median(True, k, part)
            cells += [ms(whole), ms(spliced), f"{whole / spliced:.1f}x"]
        rows.append(cells)
    return table(["import commit", "library after", "wall: encoded whole (baseline)", "wall: additions spliced",
                  "whole / spliced", "CPU: encoded whole", "CPU: spliced", "whole / spliced"], rows)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--history", type=int, default=10_000, help="actions of past history for the extra row")
    parser.add_argument("--mark-alls", type=int, default=10, help="'mark all' actions for the last row (issue 8 item 6)")
    parser.add_argument("--commits", type=int, default=5, help="import commits for the import table")
    parser.add_argument("--batch", type=int, default=20_000, help="new episodes per import commit")
    parser.add_argument("--repeat", type=int, default=3, help="runs of the import commits, per variant")
    parser.add_argument("--only", choices=("progress", "import"), help="print one table only")
    args = parser.parse_args()
    if args.only != "progress":
        print(import_table(args.commits, args.batch, args.repeat))
    if args.only != "import":
        progress_table(args)


def progress_table(args: argparse.Namespace) -> None:
    rows = []
    cases = [(int(x), 0, 0) for x in args.sizes.split(",")] + [(10_000, args.history, 0), (10_000, 0, args.mark_alls)]
    for n, past, bulk in cases:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            library = make_library(folder / "lib", n)
            if past:
                add_history(library, past)
            everything = list(library.listings())
            for k in range(bulk):  # marking a whole backlog listened, and back: 10k episodes per action
                if k % 2:
                    library.mark_new(everything)
                else:
                    library.mark_listened(everything)
            eids = list(library.listings())
            fresh = Library(folder / "lib")  # a second process's view: nothing cached
            fresh.episodes()
            counter = iter(range(10**9))

            def ours() -> None:
                k = next(counter)
                fresh.report_progress(eids[(k * 7919) % len(eids)], float(60 + k % 500))

            repeat = 60 if n <= 10_000 else 25
            t_ours = median_time(ours, repeat, warmup=3)
            db = stock_db(folder, library)
            table_ = db.table("state")
            stock_counter = iter(range(10**9))

            def stock() -> None:
                k = next(stock_counter)
                doc_id = 1 + (k * 7919) % max(1, len(library.state_docs()))
                table_.upsert(Document({"status": "in_progress", "position_s": float(k)}, doc_id=doc_id))

            t_stock = median_time(stock, 15 if n <= 10_000 else 3, warmup=1)
            db.close()
            state_kb = (folder / "lib" / "state.json").stat().st_size / 1024
            hist_kb = (folder / "lib" / "history.json").stat().st_size / 1024
            label = f"{n:,}" + (f" + {past:,} past actions" if past else "") + (f" after {bulk} mark-alls" if bulk else "")
            rows.append([label, ms(t_ours), ms(t_stock), f"{t_stock / t_ours:.1f}x",
                         f"{state_kb:,.0f} KB + {hist_kb:,.0f} KB", f"{(folder / 'stock.json').stat().st_size / 1e6:.1f} MB"])
            print(f"measured {label}", file=sys.stderr)
    print(table(["episodes", "tracker write (median)", "stock TinyDB write (median)", "stock / tracker",
                 "state + history files", "stock file"], rows))


if __name__ == "__main__":
    main()
