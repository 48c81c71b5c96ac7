"""Which remote actions win, and what an episode's state says as actions.

Every device orders an episode's changes the same way, by key (timestamp, device,
content digest), so they all settle on the same state whatever order actions arrive
in, and a re-delivered action (servers send the last one again) is never newer than
itself. The actions one upload carries for an episode share a timestamp and a device:
they are one group, compared as one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..exchange.gpodder import RemoteAction, content_of, episode_actions, iso_to_epoch
from ..model.records import Episode, EpisodeState
from .book import NO_KEY, Agreed, Key, digest, state_sig


@dataclass(frozen=True)
class Group:
    """The actions one device sent for one episode in one upload."""

    key: Key
    actions: tuple[RemoteAction, ...]


def group_digest(actions: list[RemoteAction] | tuple[RemoteAction, ...]) -> str:
    return digest(sorted(repr(a.content()) for a in actions))


def groups_of(actions: list[RemoteAction]) -> list[Group]:
    """An episode's actions as groups, oldest first (server order kept inside a group:
    the action carrying the resume point comes last). An action a group holds twice (a
    client that sent it twice) counts once: else the group's digest never matches the
    state it leads to, and every device would send that state back up."""
    ordered = sorted(actions, key=lambda a: (a.ts, a.device))
    out: list[Group] = []
    run: dict[tuple[Any, ...], RemoteAction] = {}  # by content: a repeat moves to the end
    who: tuple[int, str] | None = None
    for action in ordered:
        if run and who != (action.ts, action.device):
            out.append(_group(list(run.values())))
            run = {}
        who = (action.ts, action.device)
        run.pop(action.content(), None)
        run[action.content()] = action
    if run:
        out.append(_group(list(run.values())))
    return out


def _group(run: list[RemoteAction]) -> Group:
    return Group((run[0].ts, run[0].device, group_digest(run)), tuple(run))


def representation(ep: Episode, st: EpisodeState, podcast: str, keeps_spans: bool) -> list[dict[str, Any]]:
    """The actions (without timestamp) that say this state; a server that keeps one
    action per episode gets only the last (the one carrying the resume point)."""
    actions = episode_actions(ep, st, podcast, "")
    return actions if keeps_spans else actions[-1:]


def content_digest(actions: list[dict[str, Any]]) -> str:
    """The digest a receiver computes for these actions (``group_digest``)."""
    return digest(sorted(repr(content_of(doc)) for doc in actions))


def local_key(doc: dict[str, Any] | None, agreed: Agreed | None, me: str, current_digest: str) -> Key:
    """The key of the episode's state here: the agreed key when nothing changed since,
    else a local change made at its update time (never older than the agreement)."""
    if agreed is not None and agreed.sig == state_sig(doc):
        return agreed.key
    if not doc and agreed is None:
        return NO_KEY
    ts = iso_to_epoch((doc or {}).get("updated_at"))
    if agreed is None:
        return (ts, me, current_digest)
    # Changed after the agreement, so newer than it even in its second (an undo restores an
    # older time, and this device's name may sort below the agreed one's): the agreed
    # action, which servers send again, must not take the change back.
    return max((max(ts, agreed.key[0]), me, current_digest), agreed.key)


def winners(groups: list[Group], local: Key) -> list[Group]:
    """The groups newer than the local state, oldest first."""
    return [g for g in groups if g.key > local]
