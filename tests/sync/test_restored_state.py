"""A state file restored from its backup takes the library's revision back: sync must
still send every change made after that, whatever revision numbers they get."""

from __future__ import annotations

from pathlib import Path

from tests.sync.conftest import Account, FeedHost, device
from tests.sync.test_devices import by_title, next_second, phone_view, sync
from tracker.importers.service import import_sources
from tracker.model.library import Library


def test_changes_after_a_restored_state_file_still_go_up(tmp_path: Path, account: Account, feed_host: FeedHost,
                                                        config_dir: Path) -> None:
    # The state was restored to an older revision, and later changes got numbers already
    # used: episode 1 heard to 500 got the revision its 100 had been agreed at, so sync
    # took it for the agreed state (and with the library's revision equal to the last one
    # seen, it did not look at all); the phone never heard of 500
    feed = feed_host.add("alpha", "Alpha Show")
    library = device(tmp_path, "laptop", account.setup("laptop"))
    assert all(o.ok for o in import_sources(library, [feed]))
    one, two = by_title(library)["Alpha Show 1"], by_title(library)["Alpha Show 2"]
    library.report_progress(two, 10)
    library.report_progress(two, 20)  # the day's backup of the state file is taken here
    library.report_progress(one, 100)
    sync(library)
    assert phone_view(account)["alpha-1"][0] == 100

    (library.folder / "state.json").write_bytes(b"{ damaged")
    again = Library(library.folder)  # another tracker opens it: the backup comes back
    assert again.state(one).position_s == 0 and "restored the backup" in " ".join(again.notices)
    next_second()
    again.report_progress(two, 30)
    again.report_progress(one, 500)
    sync(again)
    assert phone_view(account)["alpha-1"][0] == 500
