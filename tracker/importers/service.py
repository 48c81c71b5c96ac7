"""An import from end to end: read or fetch, detect, parse, find chapters, store."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Callable
from urllib.parse import unquote, urljoin, urlparse

from ..chapters.choose import choose
from ..chapters.notes import notes_chapters, repeated_phrases
from ..chapters.podcast_json import parse_json_chapters
from ..chapters.records import finish
from ..model.catalog import merge_show
from ..model.library import Library
from .detect import detect
from .fetch import fetch, is_url
from ..model.errors import ChapterFileError, ImportFailed
from .records import FeedEpisode, FeedShow, episode_id, show_id

CHAPTER_FILE_LIMIT = 2 * 1024 * 1024
BOILERPLATE_SAMPLE = 40


@dataclass
class Outcome:
    source: str
    ok: bool
    kind: str | None = None
    show: str | None = None
    episodes: int = 0
    added: int = 0
    updated: int = 0
    not_modified: bool = False
    message: str = ""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


Progress = Callable[[str], None]


def import_sources(library: Library, sources: list[str], remote_chapters: bool = True,
                   progress: Progress | None = None) -> list[Outcome]:
    outcomes: list[Outcome] = []
    for source in sources:
        outcomes.extend(import_source(library, source, remote_chapters, progress))
    return outcomes


def import_source(library: Library, source: str, remote_chapters: bool = True,
                  progress: Progress | None = None, validators: dict[str, str | None] | None = None) -> list[Outcome]:
    """Import one source; an OPML list gives one outcome per feed it names, after its own."""
    say = progress or (lambda _msg: None)
    try:
        say(f"reading {source}")
        if is_url(source):
            known = validators or {}
            got = fetch(source, etag=known.get("etag"), last_modified=known.get("last_modified"))
            if got.not_modified:
                return [Outcome(source, True, not_modified=True, message="not modified")]
            raw, base = got.body, got.url
            extra = {"etag": got.etag, "last_modified": got.last_modified}
        else:
            path = Path(source).expanduser()
            try:
                raw = path.read_bytes()
            except FileNotFoundError:
                raise ImportFailed("no such file") from None
            except IsADirectoryError:
                raise ImportFailed("is a folder, not a file") from None
            except OSError as err:
                raise ImportFailed(f"cannot read it: {err.strerror}") from None
            base, extra = str(path.resolve()), {}
        kind, payload = detect(raw)
        if kind == "opml":
            return _import_opml(library, source, payload, base, remote_chapters, progress)
        if kind == "tracker-json":
            from ..exchange.tracker_json import import_export

            summary = import_export(library, payload)
            return [Outcome(source, True, kind, episodes=summary.episodes, added=summary.added,
                            updated=summary.updated, message=summary.message)]
        if kind == "gpodder":
            from ..exchange.gpodder import apply_actions

            applied = apply_actions(library, payload)
            return [Outcome(source, True, kind, episodes=applied.matched, updated=applied.changed,
                            message=applied.message)]
        show = _parse_feed(kind, payload, source if is_url(source) else None)
        say(f"finding chapters for {show.title}")
        _resolve_chapters(show, base, remote_chapters)
        outcome = _store(library, show, kind, source, extra)
        return [outcome]
    except (ImportFailed, ChapterFileError) as err:
        return [Outcome(source, False, message=str(err))]


def refresh(library: Library, show_filter: str | None = None, remote_chapters: bool = True,
            progress: Progress | None = None) -> list[Outcome]:
    """Fetch URL feeds again, asking the server whether they changed."""
    outcomes = []
    needle = (show_filter or "").casefold()
    for sid, show in sorted(library.shows().items(), key=lambda kv: kv[1].get("title", "")):
        url = show.get("feed_url")
        if not url or not is_url(url) or needle not in show.get("title", "").casefold():
            continue
        validators = {"etag": show.get("etag"), "last_modified": show.get("last_modified")}
        for outcome in import_source(library, url, remote_chapters, progress, validators):
            outcome.show = outcome.show or show.get("title")
            outcomes.append(outcome)
    return outcomes


def _parse_feed(kind: str, payload: Any, url: str | None) -> FeedShow:
    if kind == "rss":
        from .rss import parse_rss

        return parse_rss(payload, url)
    if kind == "atom":
        from .atom import parse_atom

        return parse_atom(payload, url)
    from .showpage import parse_show_page

    return parse_show_page(payload)


def _import_opml(library: Library, source: str, raw: bytes, base: str, remote_chapters: bool,
                 progress: Progress | None) -> list[Outcome]:
    from .opml import parse_opml

    subs = parse_opml(raw)
    outcomes = [Outcome(source, True, "opml", message=f"lists {len(subs)} feeds")]
    for sub in subs:
        target = sub.url if is_url(sub.url) or Path(sub.url).is_absolute() else _join(base, sub.url)
        outcomes.extend(import_source(library, target, remote_chapters, progress))
    return outcomes


def _join(base: str, ref: str) -> str:
    if is_url(base):
        return urljoin(base, ref)
    return str(Path(base).parent / ref)


# -- chapters -------------------------------------------------------------------------------
def _resolve_chapters(show: FeedShow, base: str, remote: bool) -> None:
    with_urls = [ep for ep in show.episodes if ep.chapters_url]
    if with_urls:
        def load(ep: FeedEpisode) -> None:
            try:
                raw = _read_chapter_file(ep.chapters_url or "", base, remote)
            except (ImportFailed, ChapterFileError, OSError):
                return  # a missing chapter file leaves the other sources
            if raw is not None:
                found = parse_json_chapters(raw)
                if found:
                    ep.chapter_sources["json"] = found

        with ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(load, with_urls))
    for ep in show.episodes:
        local_audio = _local_path(ep.audio_url, base)
        if local_audio is not None and local_audio.is_file():
            from ..chapters.id3 import id3_chapters

            found = id3_chapters(local_audio)
            if found:
                ep.chapter_sources["id3"] = found
    candidates = [ep for ep in show.episodes if ":" in ep.description]
    if candidates:
        sample = [ep.description for ep in show.episodes[:BOILERPLATE_SAMPLE]]
        boilerplate = repeated_phrases(sample)
        for ep in candidates:
            found = notes_chapters(ep.description, ep.duration_s, boilerplate)
            if found:
                ep.chapter_sources["notes"] = found


def _read_chapter_file(ref: str, base: str, remote: bool) -> bytes | None:
    if is_url(ref):
        return fetch(ref, limit=CHAPTER_FILE_LIMIT).body if remote else None
    if is_url(base):
        return fetch(urljoin(base, ref), limit=CHAPTER_FILE_LIMIT).body if remote else None
    path = _local_path(ref, base)
    return path.read_bytes() if path is not None and path.is_file() else None


def _local_path(ref: str | None, base: str) -> Path | None:
    if not ref or is_url(base) or is_url(ref):
        return None
    parsed = urlparse(ref)
    if parsed.scheme == "file":
        return Path(unquote(parsed.path))
    if parsed.scheme:
        return None
    path = Path(ref)
    return path if path.is_absolute() else Path(base).parent / path


# -- storing ----------------------------------------------------------------------------------
def _store(library: Library, show: FeedShow, kind: str, source: str, extra: dict[str, Any]) -> Outcome:
    sid = show_id(show.title)
    show_doc = {
        "title": show.title,
        "kind": kind,
        "feed_url": show.feed_url,
        "link": show.link,
        "author": show.author,
        "description": show.description,
        "source": source,
        **extra,
    }
    episodes: dict[str, dict[str, Any]] = {}
    notes: dict[str, str] = {}
    for ep in show.episodes:
        eid = episode_id(sid, ep)
        source_name, chapters = choose(ep.chapter_sources)
        episodes[eid] = {
            "show_id": sid,
            "show": show.title,
            "title": ep.title,
            "published": ep.published,
            "duration_s": ep.duration_s,
            "guid": ep.guid,
            "audio_url": ep.audio_url,
            "link": ep.link,
            "season": ep.season,
            "number": ep.number,
            "chapters": finish(chapters, ep.duration_s),
            "chapters_source": source_name,
        }
        notes[eid] = ep.description
    merged = merge_show(library, sid, show_doc, episodes, notes)
    return Outcome(
        source, True, kind, show.title, len(show.episodes), merged.added, merged.updated,
        message=f"{merged.added:,} new, {merged.updated:,} updated, {merged.unchanged:,} unchanged",
    )
