"""What every screen shows at the bottom: a line while writes wait for the library lock,
and a footer that keeps the most important keys when the terminal is narrow."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Static
from textual.widgets._footer import FooterKey

from ..keys import RANK, USEFUL
from ..text import literal


class WaitingLine(Static):
    """Shown while a change of ours waits for another process to let go of the library."""

    DEFAULT_CSS = "WaitingLine { dock: bottom; height: 1; background: $warning 30%; padding: 0 1; display: none; }"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(markup=False, **kwargs)

    def on_mount(self) -> None:
        self.watch(self.app, "waiting", self.show_waiting)

    def show_waiting(self, pending: int) -> None:
        self.display = pending > 0
        if pending:
            changes = "1 change" if pending == 1 else f"{pending} changes"
            self.update(literal(f"waiting for the library… (another tracker is writing; {changes} will be saved)"))


class KeyFooter(Footer):
    """Textual's footer, keeping keys by rank (``keys.RANK``) until the width is used:
    help, quit and undo stay on an 80-column terminal, extras drop first."""

    _shown: list[tuple[str, str, str, str, bool, str]] | None = None

    def entries(self) -> list[tuple[str, str, str, str, bool, str]]:
        """(key, shown key, description, action, enabled, tooltip) of each key kept, in order."""
        seen: set[str] = set()
        shown: list[tuple[Binding, bool, str]] = []
        grouped: dict[str, list[Binding]] = {}
        for _, binding, enabled, tooltip in self.screen.active_bindings.values():
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            if binding.group is not None:  # one entry for the group: "1-4 Screens"
                members = grouped.setdefault(binding.group.description, [])
                members.append(binding)
                if len(members) > 1:
                    continue
            shown.append((binding, enabled, tooltip))
        shown = [(self._group_entry(b, grouped), e, t) if b.group is not None else (b, e, t) for b, e, t in shown]
        room = self.size.width or self.app.size.width
        by_rank = sorted(range(len(shown)), key=lambda i: (RANK.get(shown[i][0].id or "", USEFUL), i))
        kept: set[int] = set()
        used = 0
        for i in by_rank:
            binding = shown[i][0]
            width = len(self.app.get_key_display(binding)) + len(binding.description) + 2
            if used + width > room:
                continue
            used += width
            kept.add(i)
        return [(b.key, self.app.get_key_display(b), b.description, b.action, enabled, tooltip)
                for i, (b, enabled, tooltip) in enumerate(shown) if i in kept]

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        self._shown = self.entries()
        for key, shown, description, action, enabled, tooltip in self._shown:
            yield FooterKey(key, shown, description, action, disabled=not enabled,
                            tooltip=tooltip).data_bind(compact=Footer.compact)

    async def recompose(self) -> None:
        """Only when the keys shown change: focus moves and key presses ask for a new footer
        all the time, and building one costs more than the key's own work."""
        if self._shown is not None and self.is_attached and self.entries() == self._shown:
            return
        await super().recompose()

    def _group_entry(self, first: Binding, grouped: dict[str, list[Binding]]) -> Binding:
        assert first.group is not None
        members = grouped[first.group.description]
        keys = [self.app.get_key_display(b) for b in members]
        display = f"{keys[0]}-{keys[-1]}" if len(keys) > 2 and in_a_row(keys) else "/".join(keys)
        return Binding(first.key, first.action, first.group.description, key_display=display, id=first.id,
                       tooltip=", ".join(f"{k} {b.description}" for k, b in zip(keys, members)))

    def on_resize(self) -> None:
        if self._bindings_ready:
            self.call_after_refresh(self.recompose)


def in_a_row(keys: list[str]) -> bool:
    """Keys that follow one another ("1" to "4", "f1" to "f4"), so "1-4" names them all: a
    keymap that moved one ("1", "2", "3", "h") would read as a range that does not exist."""
    def split(key: str) -> tuple[str, int] | None:
        stem = key.rstrip("0123456789")
        if stem != key:
            return stem, int(key[len(stem):])
        return ("", ord(key)) if len(key) == 1 else None

    parts = [split(k) for k in keys]
    return all(p is not None and q is not None and p[0] == q[0] and q[1] == p[1] + 1 for p, q in zip(parts, parts[1:]))
