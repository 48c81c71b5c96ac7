"""Issue 2: time per persisted state write, tracker's store vs stock one-file TinyDB.

For each library size, the same generated episodes go into (a) a tracker library,
where a write is a real `progress` report (state plus its history entry, each file
replaced atomically under the lock), and (b) stock TinyDB with JSONStorage, catalog
and state in one file, where a write is one state upsert. Medians; ratio = stock / ours.

    python bench/store_write.py [--sizes 1000,10000,100000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import orjson  # noqa: E402
from common import median_time, ms, table  # noqa: E402
from generate import add_history, make_library  # noqa: E402
from tinydb import TinyDB  # noqa: E402
from tinydb.storages import JSONStorage  # noqa: E402
from tinydb.table import Document  # noqa: E402

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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--history", type=int, default=10_000, help="actions of past history for the extra row")
    parser.add_argument("--mark-alls", type=int, default=10, help="'mark all' actions for the last row (issue 8 item 6)")
    args = parser.parse_args()
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
