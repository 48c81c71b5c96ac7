"""Every chapter source of a parsed show: JSON chapter files, ID3 tags of local audio,
and the show notes. The richest is chosen later (``chapters.choose``).

A chapter file is fetched once per distinct URL in a whole import (fifty items
linking the same 2 MB file cost one download and one parse), and never from a
local path when the feed itself came from the network.
"""

from __future__ import annotations

import stat
import threading
from pathlib import Path
from typing import Callable
from urllib.parse import unquote, urljoin, urlsplit

from ..chapters.id3 import id3_chapters
from ..chapters.notes import notes_chapters, repeated_phrases
from ..chapters.podcast_json import parse_json_chapters
from ..chapters.records import ChapterIn
from ..model.errors import ImportFailed, Unreachable
from .fetch import fetch, is_url
from .records import FeedShow
from .sources import read_file

CHAPTER_FILE_LIMIT = 2 * 1024 * 1024
BOILERPLATE_SAMPLE = 40
CONCURRENT_FILES = 8

Submit = Callable[[Callable[[], None]], object]


class ChapterFiles:
    """Chapter files read during one import, by URL or path: each read once."""

    def __init__(self, remote: bool = True, gate: threading.Semaphore | None = None) -> None:
        self.remote = remote
        self.gate = gate
        self._lock = threading.Lock()
        self._done: dict[str, list[ChapterIn] | None] = {}
        self._later: set[str] = set()  # not read for a passing reason: worth another try
        self._busy: dict[str, threading.Event] = {}

    def get(self, ref: str, feed_url: str | None, folder: Path | None) -> list[ChapterIn] | None:
        """The chapters at ``ref`` (a URL, or a path beside a local feed); [] when it names
        nothing usable; None when it could not be read this time (remote files turned off,
        the network or the server failing, not JSON chapters): a refresh then keeps the
        chapters read before."""
        where = _where(ref, feed_url, folder)
        if where is None:
            return []
        if is_url(where) and not self.remote:
            with self._lock:
                self._later.add(where)
            return None
        with self._lock:
            if where in self._done:
                return self._done[where]
            wait = self._busy.get(where)
            if wait is None:
                self._busy[where] = threading.Event()
        if wait is not None:
            wait.wait()
            with self._lock:
                return self._done.get(where)
        found: list[ChapterIn] | None = None
        try:
            raw = fetch(where, limit=CHAPTER_FILE_LIMIT, gate=self.gate).body if is_url(where) else \
                read_file(Path(where), CHAPTER_FILE_LIMIT)
            found = parse_json_chapters(raw)
        except (ImportFailed, OSError) as err:  # a missing or broken chapter file leaves the other sources
            if isinstance(err, Unreachable):
                with self._lock:
                    self._later.add(where)
        finally:
            with self._lock:
                self._done[where] = found
                self._busy.pop(where).set()
        return found

    def later(self, ref: str, feed_url: str | None, folder: Path | None) -> bool:
        """Whether the file at ``ref`` was not read for a passing reason (the server down or
        failing, remote files turned off), not because it is missing or not JSON chapters."""
        where = _where(ref, feed_url, folder)
        with self._lock:
            return where in self._later


def _where(ref: str, feed_url: str | None, folder: Path | None) -> str | None:
    if is_url(ref):
        return ref
    if feed_url is not None:  # a feed from the network names only network files
        joined = urljoin(feed_url, ref)
        return joined if is_url(joined) else None
    path = _local(ref, folder)
    return str(path) if path is not None else None


def _local(ref: str | None, folder: Path | None) -> Path | None:
    if not ref or folder is None:
        return None
    if ref[:7].lower() == "file://":
        return Path(unquote(urlsplit(ref).path))
    if "://" in ref[:16] or (":" in ref[:12] and len(urlsplit(ref).scheme) > 1):
        return None  # a URL (a one-letter scheme is a Windows drive)
    path = Path(ref)
    return path if path.is_absolute() else folder / path


def find_chapters(show: FeedShow, feed_url: str | None, folder: Path | None, files: ChapterFiles) -> None:
    """Fill each episode's ``chapter_sources``. ``folder`` is a local feed's folder
    (None for a feed from the network: its audio is never read from this disk)."""
    notes_sources(show)
    file_sources(show, feed_url, folder, files)


# A show page gives lengths to the minute ("29min"): the episode may run up to a minute
# longer, and a chapter in that minute (the outro) is no stamp past the end.
SPOKEN_SLACK = 60.0


def notes_sources(show: FeedShow) -> None:
    """Chapters written in the show notes: CPU work only (it may run in another process)."""
    candidates = [ep for ep in show.episodes if ":" in ep.description]
    if candidates:
        boilerplate = repeated_phrases([ep.description for ep in show.episodes[:BOILERPLATE_SAMPLE]])
        slack = SPOKEN_SLACK if show.kind == "showpage" else 0.0
        for ep in candidates:
            bound = None if ep.duration_s is None else ep.duration_s + slack
            found = notes_chapters(ep.description, bound, boilerplate)
            if found:
                ep.chapter_sources["notes"] = found
                if ep.duration_s is not None and bound is not None and found[-1].start_s >= ep.duration_s:
                    ep.duration_s = bound  # ("29min" with a chapter at 29:15: it runs to 30:00 at most)


def file_sources(show: FeedShow, feed_url: str | None, folder: Path | None, files: ChapterFiles) -> None:
    """Chapters in files: JSON chapter files (each read once per import) and the ID3
    tags of local audio."""
    with_files = [ep for ep in show.episodes if ep.chapters_url]
    if with_files:
        def load(index: int) -> None:
            ep = with_files[index]
            found = files.get(ep.chapters_url or "", feed_url, folder)
            if found:
                ep.chapter_sources["json"] = found
            elif found is None:
                ep.chapters_unread = True
                if files.later(ep.chapters_url or "", feed_url, folder):
                    show.chapters_later = True

        _each(load, len(with_files))
    if folder is not None:
        for ep in show.episodes:
            audio = _local(ep.audio_url, folder)
            if audio is not None and _regular(audio):
                found = id3_chapters(audio)
                if found:
                    ep.chapter_sources["id3"] = found


def _each(work: Callable[[int], None], n: int) -> None:
    """``work(i)`` for each i, a few at a time on daemon threads (files wait on the network)."""
    if n == 1:
        work(0)
        return
    lock = threading.Lock()
    next_index = [0]

    def worker() -> None:
        while True:
            with lock:
                i = next_index[0]
                next_index[0] += 1
            if i >= n:
                return
            work(i)

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(min(CONCURRENT_FILES, n))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def _regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except (OSError, ValueError):
        return False
