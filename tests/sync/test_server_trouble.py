"""A server that refuses one action, names a feed that cannot be fetched, was reset, or
sends far too many actions for unknown episodes: the rest of the sync goes on, each
trouble is said once, and nothing grows without bound."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from tests.sync.conftest import Account, FeedHost, device
from tests.sync.proxy import FaultProxy
from tests.sync.test_devices import antennapod_play, sync
from tracker.exchange.gpodder import format_time, parse_time
from tracker.sync.book import Book
from tracker.sync.pull import KEPT_TOTAL


def test_kept_actions_for_unknown_episodes_are_capped_in_total(tmp_path: Path, account: Account,
                                                               feed_host: FeedHost, config_dir: Path,
                                                               proxy: FaultProxy) -> None:
    # A server answering thousands of actions for hundreds of episodes not here: each
    # episode's list was capped, the total was not, and sync.json grew without bound.
    alpha = feed_host.add("alpha", "Alpha Show")
    library = device(tmp_path, "laptop", account.setup("laptop", server=proxy.url))
    per, episodes = 40, KEPT_TOTAL // 40 + 20
    old = int(time.time()) - 86400
    actions = [{**antennapod_play(alpha, "alpha", n, i, i + 1, 100_000), "timestamp": format_time(old + n * per + i)}
               for n in range(episodes) for i in range(per)]

    def many(line: bytes, answer: Any) -> Any:
        return {**answer, "actions": actions} if line.startswith(b"GET /api/2/episodes/") else answer

    proxy.edit = many
    report = sync(library)
    kept = [d for v in Book(library).unmatched().values() for d in v["actions"]]
    assert len(kept) == KEPT_TOTAL == report.kept_for_later
    dropped = len(actions) - KEPT_TOTAL
    assert min(parse_time(d["timestamp"]) or 0 for d in kept) == old + dropped  # the oldest went
    assert [n for n in report.notes if "kept" in n] == [
        f"dropped the {dropped:,} oldest of the actions kept for episodes not in the catalog yet "
        f"(at most {KEPT_TOTAL:,} are kept)"]
    assert sync(library).notes == []  # said once
