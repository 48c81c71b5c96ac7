"""gpodder.net episode actions (API 2), as AntennaPod, gPodder and Nextcloud use them.

One mapping both ways, shared by the file export/import and by sync:
- out: an episode's listening becomes ``play`` actions (one per heard span, the one that
  ends at the resume point last, so a client that keeps the last action per episode
  gets the resume point), or ``new`` when it is marked new; ``total`` only when the
  duration is known (an invented total reads back as "finished"), or for a listened
  episode, which is finished: the furthest point heard then stands for it;
- in: actions are validated whole (``position: "Infinity"`` refuses the file), names
  compared without case, timestamps read with or without ``Z`` / ``+00:00``, and each
  action is matched to an episode by guid, else normalised audio URL, else feed and title.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Iterable

from ..model.errors import ImportFailed
from ..model.library import Library
from ..model.records import NEW_STATE, Episode, EpisodeState
from ..model.words import plural
from .gpodder_urls import normalize_url
from .listening import RemoteItem, apply_remote, heard_spans

TIME_FORMAT = "%Y-%m-%dT%H:%M:%S"
MAX_SECONDS = 10**7  # about 115 days: no episode is longer; bigger numbers are garbage
KINDS = ("play", "new", "download", "delete", "flattr")


# -- time ------------------------------------------------------------------------------------
def format_time(epoch: float) -> str:
    return datetime.fromtimestamp(int(epoch), timezone.utc).strftime(TIME_FORMAT)


def parse_time(value: Any) -> int | None:
    """Epoch seconds from ``YYYY-MM-DDTHH:MM:SS`` with or without ``Z`` / an offset
    (no offset means UTC); None when it is not such a time or outside 1970-2200."""
    if not isinstance(value, str) or not 10 <= len(value) <= 40:
        return None
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        dt = datetime.fromisoformat(text)
    except ValueError:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    if not 1970 <= dt.year <= 2200:
        return None
    return int(dt.timestamp())


def iso_to_epoch(iso: str | None) -> int:
    """A library time (aware ISO) as epoch seconds; 0 when missing or unreadable."""
    if not iso:
        return 0
    try:
        dt = datetime.fromisoformat(iso)
    except ValueError:
        return 0
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return int(dt.timestamp())


# -- reading actions ---------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class RemoteAction:
    podcast: str
    episode: str
    guid: str | None
    kind: str  # lower case
    ts: int  # epoch seconds
    started: int | None = None
    position: int | None = None
    total: int | None = None
    device: str = ""
    title: str | None = None

    def content(self) -> tuple[Any, ...]:
        """What the action says, without who said it or when (equal content: same action)."""
        return (normalize_url(self.episode), (self.guid or "").strip(), self.kind, self.started, self.position, self.total)


def content_of(doc: dict[str, Any]) -> tuple[Any, ...]:
    """``RemoteAction.content`` of an action this tracker wrote (``episode_actions``): its
    fields are known good, so no parsing."""
    guid = doc.get("guid")
    return (normalize_url(doc["episode"]), guid.strip() if isinstance(guid, str) and guid.strip() else "",
            doc["action"], doc.get("started"), doc.get("position"), doc.get("total"))


def tells_listening(action: RemoteAction) -> bool:
    """A ``new``, or a ``play`` that says where it stopped: the API makes ``position``
    optional, and a play without one (an app saying only "played") read as position 0
    would send the resume point back to the start."""
    return action.kind == "new" or (action.kind == "play" and action.position is not None)


class BadAction(ValueError):
    """One action that cannot be read: the message says which field and why."""


def parse_action(doc: Any) -> RemoteAction:
    if not isinstance(doc, dict):
        raise BadAction("an action is not a JSON object")
    kind = doc.get("action")
    if not isinstance(kind, str) or kind.lower() not in KINDS:
        raise BadAction(f"unknown action {str(kind)[:40]!r}")
    ts = parse_time(doc.get("timestamp"))
    if ts is None:
        raise BadAction(f"timestamp {str(doc.get('timestamp'))[:40]!r} is not a UTC time YYYY-MM-DDTHH:MM:SS")
    episode = doc.get("episode")
    podcast = doc.get("podcast")
    if not isinstance(episode, str) or not isinstance(podcast, str):
        raise BadAction("an action needs the podcast and episode URLs as text")
    guid = doc.get("guid")
    title = doc.get("title")
    device = doc.get("device")
    return RemoteAction(
        podcast=podcast[:2000],
        episode=episode[:2000],
        guid=guid[:2000] if isinstance(guid, str) and guid.strip() else None,
        kind=kind.lower(),
        ts=ts,
        started=_seconds(doc, "started"),
        position=_seconds(doc, "position"),
        total=_seconds(doc, "total"),
        device=device[:200] if isinstance(device, str) else "",
        title=title[:2000] if isinstance(title, str) else None,
    )


def _seconds(doc: dict[str, Any], name: str) -> int | None:
    """A whole number of seconds, or None when absent or -1 (Nextcloud's "unknown")."""
    value = doc.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise BadAction(f"{name} {str(value)[:40]!r} is not a number of seconds")
    try:
        number = float(value) if not isinstance(value, str) or len(value) < 30 else math.inf
    except ValueError:
        raise BadAction(f"{name} {str(value)[:40]!r} is not a number of seconds") from None
    if number == -1:
        return None
    if not math.isfinite(number) or not 0 <= number < MAX_SECONDS:
        raise BadAction(f"{name} {str(value)[:40]!r} is not a number of seconds between 0 and {MAX_SECONDS}")
    return int(number)


def parse_actions(docs: Iterable[Any]) -> list[RemoteAction]:
    """Every action, or ImportFailed naming the first bad one: a file is taken whole or not at all."""
    out = []
    for i, doc in enumerate(docs, start=1):
        try:
            out.append(parse_action(doc))
        except BadAction as err:
            raise ImportFailed(f"episode action {i}: {err}; nothing was imported") from None
    return out


# -- matching --------------------------------------------------------------------------------
MIN_GLOBAL_GUID = 16  # shorter guids ("1", "ep-12") repeat from show to show: matched within their feed only


class EpisodeIndex:
    """Find the catalog episode an action means: guid within its feed, else normalised
    audio URL, else a guid no other show has (a feed that moved: its actions name the old
    addresses; only a long guid, for a feed not followed here), else feed and title
    (``title`` is not in the API, but some clients send it). Built from the plain
    documents; full episodes are read only for those matched (``episode``)."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self.by_guid: dict[str, str] = {}
        self.shared_guids: set[str] = set()  # held by episodes of more than one show
        self.by_feed_guid: dict[tuple[str, str], str] = {}
        self.by_url: dict[str, str] = {}
        self.by_feed_title: dict[tuple[str, str], str] = {}
        self._full: dict[str, Episode] = {}
        feeds = {sid: normalize_url(show_feed_url(show)) for sid, show in library.shows().items()}
        self.feeds = {feed for feed in feeds.values() if feed}
        guid_show: dict[str, Any] = {}  # the show of the first episode holding each guid
        for eid, doc in library.episode_docs().items():
            guid, url = doc.get("guid"), doc.get("audio_url")
            feed = feeds.get(doc.get("show_id", ""))
            if isinstance(guid, str) and guid.strip():
                self.by_guid.setdefault(guid.strip(), eid)
                if guid_show.setdefault(guid.strip(), doc.get("show_id")) != doc.get("show_id"):
                    self.shared_guids.add(guid.strip())
                if feed:
                    self.by_feed_guid.setdefault((feed, guid.strip()), eid)
            if isinstance(url, str) and url:
                self.by_url.setdefault(normalize_url(url), eid)
            if feed:
                self.by_feed_title.setdefault((feed, _title_key(str(doc.get("title", "")))), eid)

    def find(self, action: RemoteAction, aliases: dict[str, str] | None = None) -> str | None:
        """The guid within the action's feed first: a show's public and ad-free feeds
        share guids, and each has its own listening."""
        feed = normalize_url(action.podcast)
        guid = (action.guid or "").strip()
        eid = self.by_feed_guid.get((feed, guid)) if guid else None
        if eid is not None:
            return eid
        url = normalize_url(action.episode)
        eid = self.by_url.get(url) or self.by_url.get((aliases or {}).get(url, ""))
        if eid is None and guid in self.by_guid and feed not in self.feeds and len(guid) >= MIN_GLOBAL_GUID \
                and guid not in self.shared_guids:
            eid = self.by_guid[guid]
        if eid is None and action.title:
            eid = self.by_feed_title.get((feed, _title_key(action.title)))
        return eid

    def load(self, eids: Iterable[str]) -> None:
        """Read these episodes in full (one pass over the files that hold them)."""
        wanted = [eid for eid in dict.fromkeys(eids) if eid not in self._full]
        for ep in self.library.episodes_of(wanted):
            self._full[ep.id] = ep

    def episode(self, eid: str) -> Episode:
        if eid not in self._full:
            self.load([eid])
        return self._full[eid]


def _title_key(title: str) -> str:
    return " ".join(title.casefold().split())


def show_feed_url(show: dict[str, Any]) -> str:
    """The URL other apps know the show by: the URL it was fetched from, else the feed's
    own self link or ``itunes:new-feed-url`` (a show imported from a file)."""
    for key in ("feed_url", "new_feed_url", "self_url"):
        value = show.get(key)
        if isinstance(value, str) and value.lower().startswith(("http://", "https://")):
            return value
    return ""


# -- writing actions ---------------------------------------------------------------------------
def episode_actions(ep: Episode, st: EpisodeState, podcast: str, stamp: str,
                    device: str | None = None) -> list[dict[str, Any]]:
    """The actions that say what was heard of ``ep``: a ``new``, or ``play`` actions (the
    one ending at the resume point last). Empty when there is nothing to say."""
    if not ep.audio_url:
        return []
    base: dict[str, Any] = {"podcast": podcast, "episode": ep.audio_url}
    if ep.guid:
        base["guid"] = ep.guid
    base["timestamp"] = stamp
    if device:
        base["device"] = device
    spans = [(int(a), int(round(b))) for a, b in heard_spans(ep, st) if int(round(b)) > int(a)]
    if st.status == "new" and not spans and st.position_s <= 0:
        return [{**base, "action": "new"}]
    total = int(round(ep.duration_s)) if ep.duration_s and ep.duration_s > 0 else None
    if st.status == "listened" and total is None:
        # Its length unknown, the furthest point heard stands for its end: without a
        # total, a phone (or tracker reading the file back) took it as in progress.
        total = max([int(round(st.position_s)), *(b for _, b in spans)]) or None
    if st.status == "listened" and total is not None:
        position = total
    else:
        position = int(round(st.position_s))
    ending = [s for s in spans if s[1] == position]
    rest = [s for s in spans if s not in ending[:1]]
    final = ending[0] if ending else (position, position)
    if not rest and final == (0, 0):
        return []
    out = []
    for started, end in [*rest, final]:
        action = {**base, "action": "play", "started": started, "position": end}
        if total is not None:
            action["total"] = total
        out.append(action)
    return out


# -- files -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Exported:
    actions: list[dict[str, Any]]
    left_out: list[str]  # one line per episode with listening that no action can carry

    @property
    def message(self) -> str:
        return f"{len(self.actions)} episode actions" + (f"; left out {len(self.left_out)}" if self.left_out else "")


def export_actions(library: Library) -> Exported:
    shows = library.shows()
    states = library.state_docs()
    episodes = library.episodes_of(sorted(eid for eid in states if library.listing(eid) is not None))
    out: list[dict[str, Any]] = []
    left_out = []
    for ep in episodes:
        st = EpisodeState.from_doc(states.get(ep.id))
        if st.with_(rev=0) == NEW_STATE:
            continue  # as a fresh episode (a mark undone): nothing to say, like one never touched
        if not ep.audio_url:
            left_out.append(f"“{ep.title}” ({ep.id}): no audio URL, so no app can match an action to it")
            continue
        podcast = show_feed_url(shows.get(ep.show_id, {}))
        stamp = format_time(iso_to_epoch(st.updated_at) or 0) if st.updated_at else format_time(_now())
        actions = episode_actions(ep, st, podcast, stamp)
        if not actions and st.status == "listened":  # (said, not dropped in silence)
            left_out.append(f"“{ep.title}” ({ep.id}): listened, but its length is unknown and none of it "
                            "was heard, so no action can say so")
        out.extend(actions)
    return Exported(out, left_out)


def _now() -> float:
    return datetime.now(timezone.utc).timestamp()


@dataclass(frozen=True)
class Applied:
    matched: int
    changed: int
    unmatched: int

    @property
    def message(self) -> str:
        episodes = f"{self.matched:,} episode{'' if self.matched == 1 else 's'}"
        actions = f"{self.unmatched:,} action{'' if self.unmatched == 1 else 's'}"
        return f"{episodes} matched ({self.changed:,} changed), {actions} matched nothing"


def apply_actions(library: Library, docs: list[Any]) -> Applied:
    """Import an actions file: validated whole first, then per episode every ``play`` since
    the newest ``new`` is credited and the newest sets the resume point, in one action."""
    actions = parse_actions(docs)
    library.check_recordable()  # one failed source, reported as such, not an error out of the import
    index = EpisodeIndex(library)
    per_episode: dict[str, list[RemoteAction]] = {}
    unmatched = 0
    for action in actions:
        if not tells_listening(action):
            continue
        eid = index.find(action)
        if eid is None:
            unmatched += 1
            continue
        per_episode.setdefault(eid, []).append(action)
    items: list[RemoteItem] = []
    for eid, group in per_episode.items():
        group.sort(key=lambda a: a.ts)
        last_new = max((i for i, a in enumerate(group) if a.kind == "new"), default=-1)
        items.extend(to_item(eid, a) for a in group[max(0, last_new):])
    asked = len(per_episode)
    applied = apply_remote(library, items, "import_gpodder",  # named by the episodes it changed
                           lambda changed: f"applied gpodder actions to {plural(len(changed) or asked, 'episode')}",
                           stamped=True)
    changed = len(applied.after) if applied else 0
    return Applied(len(per_episode), changed, unmatched)


def to_item(eid: str, action: RemoteAction) -> RemoteItem:
    position = action.position if action.position is not None else 0
    started = action.started if action.started is not None and action.started <= position else position
    return RemoteItem(eid, "new" if action.kind == "new" else "play", float(started), float(position),
                      float(action.total) if action.total else None, action.ts)
