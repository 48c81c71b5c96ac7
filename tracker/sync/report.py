"""What one sync moved each way, for the CLI's summary, ``--json`` and the TUI's notice."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class SyncReport:
    server: str = ""
    at: str = ""
    # subscriptions
    feeds_imported: list[str] = field(default_factory=list)
    feeds_resubscribed: list[str] = field(default_factory=list)
    feeds_unsubscribed: list[str] = field(default_factory=list)
    subscriptions_up: int = 0  # adds and removes sent
    # episode actions
    actions_down: int = 0
    episodes_changed: int = 0
    kept_for_later: int = 0  # actions for episodes not in the catalog yet
    applied_from_kept: int = 0
    skipped_bad: int = 0  # actions the server sent that cannot be read
    actions_up: int = 0
    episodes_up: int = 0
    left_out: list[str] = field(default_factory=list)  # listening no action can carry (why)
    failures: list[str] = field(default_factory=list)  # feeds that could not be imported
    notes: list[str] = field(default_factory=list)  # said once: what the sync did about a server's trouble

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    def moved(self) -> bool:
        return bool(self.actions_down or self.episodes_changed or self.actions_up or self.subscriptions_up
                    or self.feeds_imported or self.feeds_resubscribed or self.feeds_unsubscribed
                    or self.applied_from_kept)

    def said_once(self) -> list[str]:
        """The lines a later sync will not say again: said even when this one fails."""
        return [*self.notes, *(f"feed not imported: {f}" for f in self.failures)]

    def lines(self) -> list[str]:
        """The summary a person reads: what moved each way, then what needs a look."""
        if not self.moved() and not self.failures and not self.left_out and not self.skipped_bad:
            return self.notes or ["up to date: nothing to send or receive"]
        down = f"down: {_n(self.actions_down, 'episode action')}, {_n(self.episodes_changed, 'episode')} changed"
        if self.feeds_imported or self.feeds_unsubscribed or self.feeds_resubscribed:
            down += (f"; feeds: {len(self.feeds_imported)} imported, {len(self.feeds_resubscribed)} resubscribed,"
                     f" {len(self.feeds_unsubscribed)} unsubscribed")
        up = f"up: {_n(self.actions_up, 'episode action')} for {_n(self.episodes_up, 'episode')}"
        if self.subscriptions_up:
            up += f", {_n(self.subscriptions_up, 'subscription change')}"
        out = [*self.notes, down, up]
        if self.applied_from_kept:
            out.append(f"applied {_n(self.applied_from_kept, 'kept action')} to episodes that have appeared")
        if self.kept_for_later:
            out.append(f"kept {_n(self.kept_for_later, 'action')} for episodes not in the catalog yet")
        if self.skipped_bad:
            out.append(f"skipped {_n(self.skipped_bad, 'action')} the server sent that cannot be read")
        if self.left_out:
            out.append(f"left out {_n(len(self.left_out), 'episode')}: " + "; ".join(self.left_out[:3])
                       + (" …" if len(self.left_out) > 3 else ""))
        out.extend(f"feed not imported: {f}" for f in self.failures)
        return out


def _n(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"
