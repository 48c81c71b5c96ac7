"""Every key of the TUI, declared once: widgets and screens take their ``BINDINGS`` from
here, and the help screen, the command palette, the footer and a user keymap are all
generated from these bindings (posting's pattern: an id per binding).

A user keymap (``keymap.toml`` in the config folder) rebinds by id::

    [keymap]
    "episode.listened" = "l"
    "app.undo" = "ctrl+z,u"

``RANK`` orders what the footer keeps when the terminal is narrow: lower stays longer.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from itertools import product
from pathlib import Path

from textual.binding import Binding, BindingType
from textual.keys import KEY_NAME_REPLACEMENTS, Keys, key_to_character
from textual.keys import _character_to_key  # how Textual itself names "?" in a keymap

ESSENTIAL, USEFUL, EXTRA = 0, 1, 2


@dataclass(frozen=True)
class KeyGroup:
    """Keys that work in one place, as the help screen lists them."""

    title: str
    bindings: list[Binding]


def key(keys: str, action: str, description: str, id: str, tooltip: str = "", show: bool = True,
        rank: int = USEFUL, priority: bool = False, key_display: str | None = None,
        group: Binding.Group | None = None) -> Binding:
    RANK[id] = rank
    made = Binding(keys, action, description, show=show, id=id, tooltip=tooltip or description,
                   priority=priority, key_display=key_display, group=group)
    BY_ID[id] = made
    return made


SCREENS = Binding.Group("Screens")  # the footer shows the four as one entry: "1-4 Screens"


RANK: dict[str, int] = {}
BY_ID: dict[str, Binding] = {}

# -- everywhere -----------------------------------------------------------------------------
APP = [
    key("question_mark", "help", "Help", "app.help", "Every key and what the symbols mean", rank=ESSENTIAL,
        key_display="?"),
    key("q", "quit", "Quit", "app.quit", "Quit tracker", rank=ESSENTIAL),
    key("u", "undo", "Undo", "app.undo", "Undo the last change", rank=ESSENTIAL),
    key("ctrl+r", "redo", "Redo", "app.redo", "Redo what was just undone", rank=EXTRA),
    key("i", "import_source", "Import", "app.import", "Import a feed URL, a feed or OPML file, or a show page",
        rank=EXTRA),
    key("S", "sync_now", "Sync", "app.sync", "Sync with your gpodder or Nextcloud server now",
        show=False, rank=EXTRA),
    key("1", "switch_mode('library')", "Library", "app.library", "The episodes, their chapters and the queue",
        rank=ESSENTIAL, group=SCREENS),
    key("2", "switch_mode('shows')", "Shows", "app.shows", "Each show: counts, refresh, unsubscribe", rank=ESSENTIAL, group=SCREENS),
    key("3", "switch_mode('stats')", "Stats", "app.stats", "Time heard per day, week and show; streaks",
        rank=ESSENTIAL, group=SCREENS),
    key("4", "switch_mode('history')", "History", "app.history", "Recent changes, with undo and redo",
        rank=ESSENTIAL, group=SCREENS),
]

# -- every list ----------------------------------------------------------------------------
NAVIGATION = [
    key("up,k", "cursor(-1)", "Up", "list.up", show=False),
    key("down,j", "cursor(1)", "Down", "list.down", show=False),
    key("pageup", "page(-1)", "Page up", "list.page_up", show=False),
    key("pagedown", "page(1)", "Page down", "list.page_down", show=False),
    key("home", "jump(0)", "First", "list.first", show=False),
    key("end", "jump(-1)", "Last", "list.last", show=False),
    key("enter", "select", "Open", "list.select", show=False),
]

# -- the Library screen ---------------------------------------------------------------------
LIBRARY = [
    # A priority binding: handled as the key arrives, so the keys typed after it in one burst
    # already find the filter box focused (a plain binding runs only after they were sent on).
    key("slash", "filter", "Filter", "library.filter", "Filter by words in the title, show or description",
        key_display="/", priority=True),
    key("f", "cycle_status", "Status", "library.status", "Show all, new, in progress or listened episodes",
        rank=EXTRA),
    key("o", "cycle_sort", "Sort", "library.sort", "Newest, oldest, shortest or by title", rank=EXTRA),
    key("M", "mark_filtered", "Mark all", "library.mark_all", "Mark every episode shown listened (asks first)",
        rank=EXTRA),
    key("escape", "all_shows", "All shows", "library.all_shows", "Back to every show's episodes (after Shows, enter)",
        show=False),
    key("tab", "next_pane", "Next pane", "library.next_pane", "Catalog, chapters, queue in turn", show=False),
    key("shift+tab", "next_pane(-1)", "Previous pane", "library.previous_pane", show=False),
]

# Actions on one episode: the catalog's, the queue's or the chapters' (whichever pane has focus).
EPISODE = [
    key("space", "toggle_listened", "Listened", "episode.listened",
        "Mark listened; again to restore the progress it had"),
    key("a", "queue_add", "Queue", "episode.queue", "Add to the end of the queue"),
    key("n", "play_next", "Play next", "episode.play_next", "Put at the top of the queue", rank=EXTRA),
    key("r", "resume", "Resume", "episode.resume", "Go to where the episode resumes", rank=EXTRA),
    key("g", "goto", "Go to", "episode.goto", "Report a position: type m:ss or chN", rank=EXTRA),
    key("minus", "nudge(-10)", "-10 s", "episode.back", "Move the position back 10 seconds", show=False,
        key_display="-"),
    key("plus,equals_sign", "nudge(30)", "+30 s", "episode.ahead", "Move the position ahead 30 seconds",
        show=False, key_display="+"),
    key("N", "mark_new", "Mark new", "episode.mark_new", "Mark new and clear its progress (asks first)",
        show=False),
]

CATALOG = [
    key("enter", "select", "Chapters", "catalog.open", "Open the episode's chapters"),
]

CHAPTERS = [
    key("d", "mark('done')", "Done", "chapter.done", "Mark the chapter done"),
    key("s", "mark('skipped')", "Skip", "chapter.skip", "Mark the chapter skipped (played past)"),
    key("c", "mark('clear')", "Clear", "chapter.clear", "Clear the chapter's mark and heard time", rank=EXTRA),
    key("enter", "select", "Play here", "chapter.resume_here",
        "Play from this chapter (where it cannot play: resume the episode here)"),
    key("escape", "back", "Back", "chapter.back", "Back to the catalog"),
]

QUEUE = [
    key("K,shift+up", "move('up')", "Move up", "queue.up", "Move the entry up"),
    key("J,shift+down", "move('down')", "Move down", "queue.down", "Move the entry down", rank=EXTRA),
    key("t", "move('top')", "To top", "queue.top", "Move the entry to the top", rank=EXTRA),
    key("x,delete", "remove", "Remove", "queue.remove", "Remove the entry from the queue"),
    key("C", "clear", "Clear queue", "queue.clear", "Remove every entry (asks first)", rank=EXTRA),
    key("enter", "select", "Chapters", "queue.open", "Open the entry's chapters"),
    key("escape", "back", "Back", "queue.back", "Back to the catalog", show=False),
]

FILTER = [  # priority, as "/": an escape then "/" in one burst must not race each other
    key("escape", "clear_filter", "Clear filter", "filter.clear", "Clear the filter and go back to the list",
        priority=True),
    # ...nor enter and the keys after it: they are for the list ("/bread", enter, a queues it)
    key("enter", "filter_done", "Done", "filter.done", "Keep the filter and go back to the list", priority=True),
]

SHOW_LIST = [
    key("enter", "select", "Episodes", "shows.open", "The show's episodes in the Library"),
]

SHOWS = [
    key("r", "refresh_one", "Refresh", "shows.refresh", "Fetch the show's feed again"),
    key("R", "refresh_all", "Refresh all", "shows.refresh_all", "Fetch every show's feed again"),
    # one of the two, by the show under the cursor: subscribed, or unsubscribed (✕)
    key("U", "unsubscribe", "Unsubscribe", "shows.unsubscribe",
        "Unsubscribe (its episodes are hidden, history kept; asks first)"),
    key("U", "subscribe", "Subscribe again", "shows.subscribe", "Subscribe again to a show unsubscribed from (✕)"),
]

HISTORY = [  # one of the two, by the change under the cursor: done (undo) or undone (redo)
    key("enter", "select", "Undo to here", "history.undo_to", "Undo every change down to this one"),
    key("enter", "redo_to", "Redo up to here", "history.redo_to", "Redo every undone change up to this one"),
]

# Where each list is reached from, for the help screen (extra groups come from other areas:
# playback and sync append theirs with ``add_group``).
GROUPS: list[KeyGroup] = [
    KeyGroup("Everywhere", APP),
    KeyGroup("Every list", NAVIGATION),
    KeyGroup("Library: the catalog", [*LIBRARY, *CATALOG]),
    KeyGroup("Library: the episode under the cursor (catalog, queue or chapters)", EPISODE),
    KeyGroup("Library: chapters (enter from the catalog)", CHAPTERS),
    KeyGroup("Library: queue (tab to reach it)", QUEUE),
    KeyGroup("Library: filter box", FILTER),
    KeyGroup("Shows", [*SHOW_LIST, *SHOWS]),
    KeyGroup("History", HISTORY),
]

ALWAYS = [  # Textual's own keys, listed so help says everything
    Binding("tab", "", "Next pane or field"),
    Binding("ctrl+p", "", "Command palette: the focused pane's actions"),
]

SYMBOLS = [
    ("○", "new: not heard yet"),
    ("◐", "in progress: some of it heard"),
    ("●", "listened (an episode) or done (a chapter)"),
    ("»", "skipped chapter: played past, counted as neither heard nor left"),
    ("▶", "where the episode resumes (its chapter)"),
    ("Q", "in the queue"),
    ("█▌", "heard share of an episode or chapter"),
    ("m:ss / m:ss", "a chapter's heard time / its length"),
]


# The bindings live at once, by place: the focused list's own, then its screen's. The app's
# (and other areas' with ``add_live``) are everywhere.
LIVE: dict[str, list[list[Binding]]] = {
    "the catalog": [CATALOG, NAVIGATION, LIBRARY, EPISODE],
    "the chapters": [CHAPTERS, NAVIGATION, LIBRARY, EPISODE],
    "the queue": [QUEUE, NAVIGATION, LIBRARY, EPISODE],
    "Shows": [SHOW_LIST, NAVIGATION, SHOWS],
    "History": [HISTORY, NAVIGATION],
}
EVERYWHERE: list[list[Binding]] = [APP]
LIBRARY_PLACES = ("the catalog", "the chapters", "the queue")
TEXTUAL_FIRST = {"ctrl+p": "the command palette", "ctrl+q": "quit"}  # Textual's priority keys


def add_live(bound: list[Binding], places: tuple[str, ...] | None = None) -> None:
    """For other areas (playback): where their bindings are live (None: everywhere), so a
    keymap giving their key to another action there is said."""
    if places is None:
        EVERYWHERE.append(bound)
    else:
        for place in places:
            LIVE[place].append(bound)


def bindings(*lists: list[Binding]) -> list[BindingType]:
    """A widget's ``BINDINGS`` from lists above (typed as Textual wants them)."""
    return [b for bs in lists for b in bs]


def add_group(group: KeyGroup) -> None:
    """For other areas (playback, sync) to have their keys listed in help."""
    if all(g.title != group.title for g in GROUPS):
        GROUPS.append(group)


def key_name(key: str) -> str:
    names = {"space": "space", "question_mark": "?", "slash": "/", "escape": "esc", "minus": "-", "plus": "+",
             "equals_sign": "=", "delete": "del"}
    return names.get(key, key)


def effective_keys(binding: Binding, keymap: dict[str, str]) -> str:
    """The keys a binding answers to once the user's keymap is applied, for display (an
    empty entry leaves the default keys, as Textual does)."""
    keys = keymap.get(binding.id or "") or binding.key
    return ", ".join(key_name(k.strip()) for k in keys.split(","))


def key_of(app: object, binding_id: str) -> str:
    """The key that runs ``binding_id`` in ``app`` (its user's keymap applied), for the hints
    on screen ("a: add"): a keymap that moved the key must not leave a hint naming the old one."""
    keymap: dict[str, str] = getattr(app, "keymap", None) or {}
    return effective_keys(BY_ID[binding_id], keymap).split(", ")[0]


def help_text(keymap: dict[str, str]) -> str:
    """The help screen's text: every group's keys, then what each symbol means."""
    lines: list[str] = []
    for group in [*GROUPS, KeyGroup("Textual", ALWAYS)]:
        lines.append(group.title)
        for b in group.bindings:
            if b.description:
                what = f"{b.description}: {b.tooltip}" if b.tooltip and b.tooltip != b.description else b.description
                lines.append(f"  {effective_keys(b, keymap):<18} {what}")
        lines.append("")
    lines.append("Symbols")
    for symbol, meaning in SYMBOLS:
        lines.append(f"  {symbol:<18} {meaning}")
    lines += ["", "Rebind any key in keymap.toml in the config folder, by the id the palette (ctrl+p) shows",
              'beside each action:  [keymap]  "episode.listened" = "l"']
    return "\n".join(lines)


def normal_key(key: str) -> str:
    """A key as Textual names the key it receives: "Ctrl+L" is "ctrl+l", "shift+x" is "X",
    "?" is "question_mark" (written the other way, a key never fires)."""
    key = key.strip()
    if len(key) == 1:
        return _character_to_key(key)
    *modifiers, base = key.split("+")
    modifiers = [m.lower() for m in modifiers]
    if modifiers == ["shift"] and len(base) == 1 and base.isalpha():
        return base.upper()
    if len(base) == 1:
        base = base.lower() if modifiers else _character_to_key(base)
    else:
        base = base.lower()
    return "+".join([*modifiers, base])


MODIFIERS = {"ctrl", "shift", "alt", "meta", "super", "hyper"}
NAMED_KEYS = ({k.value.rsplit("+", 1)[-1] for k in Keys} | set(KEY_NAME_REPLACEMENTS.values())
              | {"enter", "tab", "space", "backspace"})


def is_key(key: str) -> bool:
    """Whether Textual can ever send ``key`` (normalised): "spacebar" or "ctrl+" never comes."""
    *modifiers, base = key.split("+")
    if not base or any(m not in MODIFIERS for m in modifiers):
        return False
    if len(base) == 1 or base in NAMED_KEYS or re.fullmatch(r"f[1-9][0-9]?", base):
        return True
    return _names_a_character(base)


def _names_a_character(name: str) -> bool:
    """"question_mark", "less_than_sign": Textual names a character by its Unicode name with
    spaces and hyphens both made "_", so each "_" may have been either."""
    parts = name.split("_")
    if len(parts) > 8:
        return False
    for joins in product(" -", repeat=len(parts) - 1):
        candidate = parts[0] + "".join(j + p for j, p in zip(joins, parts[1:]))
        try:
            unicodedata.lookup(candidate)
        except KeyError:
            continue
        return True
    return False


# The actions of a text box, live while it has the keys: a key that types a character is
# typed there (or, bound, could never be typed), so the box's actions never take one.
TYPED_IN = {b.id: "the filter box" for b in FILTER}


def types_a_character(key: str) -> bool:
    """"x", "X", "?" (question_mark), "-" (minus), space: a key that types a character."""
    if "+" in key:
        return False  # (a modifier: "ctrl+x" types nothing)
    character = key_to_character(key) or {"plus": "+", "minus": "-"}.get(key)
    return character is not None and character.isprintable()


def usable(id: str, key: str) -> bool:
    """Whether ``key`` (normalised) can run ``id``: a key Textual sends, and not a typed
    character for a text box's action."""
    return is_key(key) and not (id in TYPED_IN and types_a_character(key))


def normal_keymap(keymap: dict[str, str]) -> dict[str, str]:
    """Every key of the keymap as Textual names it; keys it never sends (or that are typed
    where the action is live) are left out, and an entry left with none (or empty) keeps
    the action's default keys."""
    normal = {id: ",".join(k for k in (normal_key(k) for k in keys.split(",") if k.strip()) if usable(id, k))
              for id, keys in keymap.items()}
    return {id: keys for id, keys in normal.items() if keys}


def unknown_keys(keymap: dict[str, str]) -> list[str]:
    """What to say of the keymap's keys that are no key at all, or typed where their action
    is live (said, not silently dead)."""
    said = []
    for id, keys in keymap.items():
        bad = [k.strip() for k in keys.split(",") if k.strip() and not is_key(normal_key(k))]
        if bad:
            said.append(f"{', '.join(repr(k) for k in bad)} {'is no key name' if len(bad) == 1 else 'are no key names'}"
                        f" ({_kept(id, keys)})")
        typed = [k.strip() for k in keys.split(",") if k.strip() and is_key(normal_key(k))
                 and not usable(id, normal_key(k))]
        if typed:
            said.append(f"{', '.join(repr(k) for k in typed)} {'is' if len(typed) == 1 else 'are'} typed in "
                        f"{TYPED_IN[id]} ({_kept(id, keys)})")
    return said


def _kept(id: str, keys: str) -> str:
    """"filter.done keeps enter": the keys an action is left with once the unusable are out."""
    kept = normal_keymap({id: keys}).get(id)
    return f"{id} keeps {effective_keys(BY_ID[id], {id: kept} if kept else {})}" if id in BY_ID else id


# Actions that share a key by design, one live at a time (``check_action``): History's enter
# undoes to a done change and redoes to an undone one; Shows' U unsubscribes or subscribes again.
ONE_OF = {"redo_to": "select", "subscribe": "unsubscribe"}


def keymap_clashes(keymap: dict[str, str]) -> list[str]:
    """Keys the keymap gives to an action that never gets them: one Textual takes first
    (ctrl+p), or one another action live in the same place answers to (the focused list's
    before its screen's). Said once at start, so a rebinding that does nothing is not a mystery."""
    said: list[str] = []
    for id, keys in keymap.items():
        binding = BY_ID.get(id)
        for k in keys.split(","):
            if k in TEXTUAL_FIRST and binding is not None and binding.action != "quit":
                said.append(f"{key_name(k)} is {TEXTUAL_FIRST[k]}'s, never {id}'s")
    clashes: dict[tuple[str, tuple[str, ...]], list[str]] = {}
    for place, lists in LIVE.items():
        owners: dict[str, list[Binding]] = {}
        for b in (b for bound in [*lists, *EVERYWHERE] for b in bound):
            for k in (keymap.get(b.id or "") or b.key).split(","):
                if b not in owners.setdefault(k, []):
                    owners[k].append(b)
        for k, bs in owners.items():
            named = tuple(dict.fromkeys(b.id or "" for b in bs))
            doing = {ONE_OF.get(b.action, b.action) for b in bs}  # the same deed under two ids: no fight
            if len(named) > 1 and len(doing) > 1 and any(i in keymap for i in named):
                clashes.setdefault((k, named), []).append(place)
    for (k, named), places in clashes.items():
        said.append(f"{key_name(k)} is both {' and '.join(named)} in {', '.join(places)}: only one of them gets it")
    return said


class KeymapError(Exception):
    """A keymap file that cannot be used (shown as a notice; the defaults stay)."""


def load_keymap(path: Path) -> dict[str, str]:
    """The user's ``[keymap]`` table: binding id -> keys. Missing file: no changes."""
    try:
        with path.open("rb") as f:
            doc = tomllib.load(f)
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise KeymapError(f"{path.name}: {err}") from None
    except UnicodeDecodeError:  # (saved as UTF-16 by Notepad, or Latin-1): a ValueError, not a TOML one
        raise KeymapError(f"{path.name}: not UTF-8 text; save it as UTF-8") from None
    if doc and "keymap" not in doc:  # keys written above any table: never read, so say it
        raise KeymapError(f"{path.name}: no [keymap] table: put a [keymap] line above the keys")
    table = doc.get("keymap", {})
    if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
        raise KeymapError(f"{path.name}: [keymap] must map binding ids to keys, as \"episode.listened\" = \"l\"")
    known = {b.id for g in GROUPS for b in g.bindings if b.id}
    unknown = sorted(set(table) - known)
    if unknown:
        raise KeymapError(f"{path.name}: unknown binding ids: {', '.join(unknown)}")
    return dict(table)  # as written: the app reads the keys (``normal_keymap``) and says what it cannot use
