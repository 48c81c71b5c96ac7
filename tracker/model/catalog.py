"""Catalog writes: shows and their episodes merged, many shows in one atomic commit.

A bulk import commits in batches (one commit per second or so, not one per feed):
every commit rewrites the files it touches, so committing per feed made the cost
of each feed grow with the library.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from store import ReadOnlyFile, Transaction

from . import progress as prog
from .files import (CATALOG_FILE, DETAIL_NAMES, DETAILS, EPISODES, LISTING_FIELDS, LISTING_NAMES, NOTE_NAMES, NOTES,
                    SHARD_KEYS, SHOWS, STATE_FILE, shard_index)
from .library import Library
from .records import EpisodeState

# A hex id's shard without a call; any other first character goes through ``shard_index``.
_SHARD_OF = {c: i for i, c in enumerate(SHARD_KEYS)}
# Set in an update's details when the episode's chapters file could not be read this time
# (network, server, remote files turned off): the chapters read from it before stay.
KEEP_FILE_CHAPTERS = "keep_file_chapters"
_KEPT_SOURCES = ("json", "audio")  # chapters ``_kept_chapters`` may keep
_NOT_DETAILS = (*LISTING_FIELDS, "show", "description")  # what ``files.split`` leaves out of details


@dataclass(frozen=True)
class Merged:
    added: int
    updated: int
    unchanged: int


@dataclass
class ShowUpdate:
    """One source's show and episodes, ready to merge."""

    show_id: str
    show: dict[str, Any]
    episodes: dict[str, dict[str, Any]] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    # Given, ``episodes`` holds each episode's listing and this its details (the halves of
    # ``files.split``): an importer builds them apart, and the merge copies nothing.
    details: dict[str, dict[str, Any]] | None = None
    # The source may be cut short (a pasted page whose selection ended inside an episode's
    # text): an episode whose text is the start of the stored one keeps the stored text
    # and what was read from it (its chapters).
    partial: bool = False


def merge_show(
    library: Library,
    show_id: str,
    show: dict[str, Any],
    episodes: dict[str, dict[str, Any]],
    notes: dict[str, str],
) -> Merged:
    """Add or update a show and its episodes in one atomic commit. Listening state is
    never touched, and episodes that vanished from the source are kept."""
    return merge_shows(library, [ShowUpdate(show_id, show, episodes, notes)])[0]


def merge_shows(library: Library, updates: list[ShowUpdate]) -> list[Merged]:
    """Merge several shows in one commit (all or none); one ``Merged`` per update."""
    if not updates:
        return []
    shards = {shard_index(first) for first in {eid[:1] for u in updates for eid in u.episodes}}
    files = sorted({name for k in shards for name in (LISTING_NAMES[k], DETAIL_NAMES[k], NOTE_NAMES[k])})
    changed: list[str] = []
    with library.store.transaction(CATALOG_FILE, *files) as tx:
        merged = [_merge(tx, u, changed) for u in updates]
    if changed:
        _retally(library, changed)
    return merged


def stamp_fetched(library: Library, show_ids: list[str], when: str) -> None:
    """Shows whose feed was asked for again and had not changed (HTTP 304) were still
    fetched at ``when``: the Shows screen says when each feed was last fetched."""
    if not show_ids:
        return
    with library.store.transaction(CATALOG_FILE) as tx:
        for sid in show_ids:
            show = tx.get(CATALOG_FILE, SHOWS, sid)
            if show is not None:
                tx.put(CATALOG_FILE, SHOWS, sid, {**show, "fetched_at": when})


def _retally(library: Library, ids: list[str]) -> None:
    """The numbers stats read from each state document (time left, chapters done, marked
    but not heard: ``progress.tally``) follow an episode whose length or chapters the
    feed changed. They are derived, so no history is recorded and the revision stays."""
    states = library.state_docs()
    ids = [eid for eid in dict.fromkeys(ids) if eid in states]
    if not ids:
        return
    try:
        with library.store.transaction(STATE_FILE) as tx:
            for eid, ep in zip(ids, library.episodes_of(ids)):
                old = tx.get(STATE_FILE, EPISODES, eid)
                if not old:
                    continue
                new = prog.stored(ep, EpisodeState.from_doc(old))
                if new != old:
                    tx.put(STATE_FILE, EPISODES, eid, new)
    except ReadOnlyFile:
        pass  # written by a newer tracker: its numbers are that tracker's to keep


def _kept_chapters(details: dict[str, Any], old: dict[str, Any] | None) -> dict[str, Any]:
    """``details`` with the chapters the catalog has from a file when the update brings
    none in their place: chapters from the episode's chapters file, which failed to load
    this time (its server down), and chapters adopted from the audio when playing (the
    feed never has them). Neither is a reason to fall back to the notes' guess, or to no
    chapters at all."""
    unread = KEEP_FILE_CHAPTERS in details
    if unread:
        details = {k: v for k, v in details.items() if k != KEEP_FILE_CHAPTERS}
    if old and old.get("chapters"):
        source = old.get("chapters_source")
        if (source == "json" and unread) or (source == "audio" and not details.get("chapters")):
            return {**details, "chapters": old["chapters"], "chapters_source": source}
    return details


def _cut_short(text: str, old_note: dict[str, Any] | None) -> bool:
    """Whether ``text`` is the stored text cut short."""
    old = str((old_note or {}).get("text", ""))
    return len(text) < len(old) and old.startswith(text)


def _merge(tx: Transaction, update: ShowUpdate, changed: list[str]) -> Merged:
    added = updated = unchanged = 0
    show_id = update.show_id
    old_show = tx.get(CATALOG_FILE, SHOWS, show_id) or {}
    merged_show = {**old_show, **{k: v for k, v in update.show.items() if v is not None}}
    if merged_show != old_show:
        tx.put(CATALOG_FILE, SHOWS, show_id, merged_show)
    get, put, notes, given = tx.get, tx.put, update.notes, update.details
    # Episodes are taken shard file by shard file: which are stored already is one set
    # operation per file, and the new ones (most of a first import) are put in one call
    # each. The documents are those of ``files.split``.
    by_shard: dict[int, list[str]] = {}
    for eid in update.episodes:
        k = _SHARD_OF.get(eid[:1])
        if k is None:
            k = shard_index(eid)
        ids = by_shard.get(k)
        if ids is None:
            ids = by_shard[k] = []
        ids.append(eid)
    for k, ids in by_shard.items():
        listing_name, details_name, notes_name = LISTING_NAMES[k], DETAIL_NAMES[k], NOTE_NAMES[k]
        stored = tx.existing(listing_name, EPISODES, ids)
        new_listings: dict[str, dict[str, Any]] = {}
        new_details: dict[str, dict[str, Any]] = {}
        new_notes: dict[str, dict[str, Any]] = {}
        for eid in ids:
            doc = update.episodes[eid]
            if given is not None:  # (the importer's listings name their show already)
                listing, details = doc, given[eid]
            else:
                listing = {"show_id": show_id, "title": doc.get("title"), "published": doc.get("published"),
                           "duration_s": doc.get("duration_s")}
                details = doc.copy()
                for name in _NOT_DETAILS:
                    details.pop(name, None)
            text = notes.get(eid, "")
            if eid not in stored:  # a new episode: nothing to compare
                new_listings[eid] = listing
                new_details[eid] = _kept_chapters(details, None) if KEEP_FILE_CHAPTERS in details else details
                new_notes[eid] = {"text": text}
                continue
            old_listing = get(listing_name, EPISODES, eid)
            old_details = get(details_name, DETAILS, eid)
            old_note = get(notes_name, NOTES, eid)
            if update.partial and old_details is not None and _cut_short(text, old_note):
                text, details = (old_note or {})["text"], old_details
            if old_details and old_details.get("chapters_source") in _KEPT_SOURCES or KEEP_FILE_CHAPTERS in details:
                details = _kept_chapters(details, old_details)
            note_changed = (old_note or {}).get("text", "") != text
            if old_listing != listing or old_details != details:
                updated += 1
                changed.append(eid)
            elif note_changed:  # edited show notes are an update too (nothing derived follows them)
                updated += 1
            else:
                unchanged += 1
            if old_listing != listing:
                put(listing_name, EPISODES, eid, listing)
            if old_details != details:
                put(details_name, DETAILS, eid, details)
            if note_changed:
                put(notes_name, NOTES, eid, {"text": text})
        added += len(new_listings)
        tx.put_many(listing_name, EPISODES, new_listings)
        tx.put_many(details_name, DETAILS, new_details)
        tx.put_many(notes_name, NOTES, new_notes)
    return Merged(added, updated, unchanged)
