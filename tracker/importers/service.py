"""Imports and refreshes, end to end: what the CLI and the TUI call.

``import_sources`` reads feeds, OPML lists, show pages, tracker exports and gpodder
actions (``-`` is standard input); ``refresh`` fetches every feed URL of the library
again, once per URL, asking the server whether it changed. Both run sources in
parallel (``connections`` downloads at most; ``TRACKER_CONNECTIONS``, else 8),
report each source as an ``Outcome`` and call ``progress`` after each one.
"""

from __future__ import annotations

from typing import BinaryIO

from ..model.catalog import stamp_fetched
from ..model.daylog import utc_now
from ..model.library import Library
from ..model.text import fold
from ..model.words import plural
from .fetch import is_url
from .identity import normal_url
from .outcomes import Interrupted, Job, OnProgress, Outcome, Progress
from .run import DEFAULT_CONNECTIONS, Runner
from .sources import feed_address, visit_key

__all__ = ["DEFAULT_CONNECTIONS", "Interrupted", "Outcome", "Progress", "import_each", "import_source",
           "import_sources", "nothing_to_refresh",
           "refresh", "refresh_targets"]


def import_sources(library: Library, sources: list[str], remote_chapters: bool = True,
                   progress: OnProgress | None = None, connections: int | None = None,
                   stdin: BinaryIO | None = None, halves: bool = False) -> list[Outcome]:
    """Import each source; an OPML list gives one outcome per feed it names, after its own.
    ``halves``: a process of its own (the CLI, the TUI's import process) may read a
    single large feed on two cores, forking (``halves.py``); a thread of the TUI may not."""
    jobs = [Job((i,), source, feed_address(source)) for i, source in enumerate(sources)]
    return Runner(library, remote_chapters, connections, progress, stdin, halves).run(jobs)


def import_each(library: Library, sources: list[str], progress: OnProgress | None = None) -> list[list[Outcome]]:
    """``import_sources`` in one run (parallel fetches, batch commits), with each source's
    outcomes apart (its own, then an OPML list's feeds'), for a caller that keeps books per
    source (sync): a source read already in the run gets the outcomes of the one read, as
    importing it on its own again would have."""
    runner = Runner(library, progress=progress)
    runner.run([Job((i,), source, source) for i, source in enumerate(sources)])
    each: list[list[Outcome]] = [[] for _ in sources]
    for order in sorted(runner.outcomes):
        each[order[0]].append(runner.outcomes[order])
    first: dict[str, int] = {}
    for i, source in enumerate(sources):
        read = first.setdefault(visit_key(source), i)
        if read != i:
            each[i] = each[read]
    return each


def import_source(library: Library, source: str, remote_chapters: bool = True,
                  progress: OnProgress | None = None) -> list[Outcome]:
    """One source (an OPML list: its own outcome, then one per feed). For many sources,
    ``import_sources`` runs them in parallel."""
    return import_sources(library, [source], remote_chapters, progress)


def refresh_targets(library: Library, show_filter: str | None = None,
                    show_id: str | None = None) -> list[tuple[str, str]]:
    """``(feed URL, title)`` of each show to refresh: one per distinct URL; only the show
    ``show_id`` when given (a screen's row: its title may be part of another's). Shows
    unsubscribed from are fetched only when named (by ``show_filter`` or ``show_id``):
    leaving a show is leaving its feed."""
    needle = fold(show_filter or "")
    left = library.unsubscribed() if show_filter is None and show_id is None else set()
    seen: set[str] = set()
    out = []
    for sid, show in sorted(library.shows().items(), key=lambda kv: (str(kv[1].get("title", "")), kv[0])):
        url = show.get("feed_url")
        if not url or not is_url(url) or needle not in fold(str(show.get("title", ""))):
            continue
        if (show_id is not None and sid != show_id) or sid in left:
            continue
        key = normal_url(url)
        if key not in seen:
            seen.add(key)
            out.append((url, str(show.get("title", ""))))
    return out


def refresh(library: Library, show_filter: str | None = None, remote_chapters: bool = True,
            progress: OnProgress | None = None, connections: int | None = None,
            halves: bool = False, show_id: str | None = None) -> list[Outcome]:
    """Fetch URL feeds again, asking the server whether they changed (every show's, those
    whose title holds ``show_filter``, or show ``show_id``'s)."""
    shows = {normal_url(str(s.get("feed_url"))): s for s in library.shows().values() if s.get("feed_url")}
    jobs = []
    for i, (url, title) in enumerate(refresh_targets(library, show_filter, show_id)):
        doc = shows.get(normal_url(url), {})
        validators = {"etag": doc.get("etag"), "last_modified": doc.get("last_modified")}
        job = Job((i,), url, url, validators=validators, title=title, feed=True)
        moved = str(doc.get("new_feed_url") or "")
        if is_url(moved) and normal_url(moved) != normal_url(url):
            # The feed said where it moved (itunes:new-feed-url): read there, where the
            # show is found by that address and keeps it (the old one may die any day);
            # an address that gives no feed (a typo, a web page) leaves the old one read.
            job = Job((i,), moved, moved, title=title, feed=True, fallback=job)
        jobs.append(job)
    began = utc_now()
    outcomes = Runner(library, remote_chapters, connections, progress, halves=halves).run(jobs)
    unchanged = {normal_url(o.source) for o in outcomes if o.not_modified}
    if unchanged:
        stamp_fetched(library, [sid for sid, s in library.shows().items()
                                if s.get("feed_url") and normal_url(str(s["feed_url"])) in unchanged], began)
    return outcomes


def nothing_to_refresh(library: Library, hint: str = "'tracker refresh SHOW' refreshes") -> str:
    """Why refreshing every show fetched nothing: no show has a feed URL, or those that
    have one are all unsubscribed from (each is fetched when named: ``hint`` says how)."""
    left = library.unsubscribed()
    resting = sum(1 for sid, s in library.shows().items() if sid in left and is_url(str(s.get("feed_url") or "")))
    if not resting:
        return "no shows with a feed URL to refresh"
    return (f"no show you follow has a feed URL to refresh ({plural(resting, 'show')} unsubscribed from: "
            f"{hint} {'it' if resting == 1 else 'one'})")
