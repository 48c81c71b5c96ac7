"""`episodes` (the list, with a header and a legend) and `show` (one episode in full)."""

from __future__ import annotations

import argparse
import shutil
import sys
from typing import TYPE_CHECKING

from ..model.errors import UsageError
from ..model.local_dates import local_date
from ..model.text import terminal_safe
from .columns import cut, fit, width
from .common import open_library
from .output import clock, plural, print_json, resume_text, say, status_word

if TYPE_CHECKING:  # loaded by the commands that use them: start-up stays light
    from ..model.query import Selection

MARKS = {"new": " ", "in_progress": "~", "listened": "✓"}
_NEW: dict[str, str] = {}
LEGEND = "✓ listened, ~ in progress, Q queued"
SHOW_CELLS = 28


def _selection(args: argparse.Namespace) -> Selection:
    from ..model.query import Selection

    since = until = None
    if args.since or args.until:
        from ..dates import parse_user_date

        try:
            since = parse_user_date(args.since) if args.since else None
            until = parse_user_date(args.until, end=True) if args.until else None
        except ValueError as err:
            raise UsageError(str(err)) from None
        if since and until and since > until:  # a typo, not "nothing matches": say so
            raise UsageError(f"the date range is empty: --since {since} is after --until {until}")
    # Naming a show lists it even when unsubscribed from (as `refresh SHOW` and the Shows
    # screen's enter do), and --queued lists what `queue` lists, whatever the show.
    return Selection(args.status, args.show, args.search, since, until, args.queued, args.sort,
                     unsubscribed=bool(args.show) or args.queued)


def _none_listed(args: argparse.Namespace, any_episode: bool) -> str:
    """Why the list is empty: "match" only when the user asked for a filter; with none,
    the episodes are there but hidden, their shows unsubscribed from."""
    if not any_episode:
        return "no episodes: import some with 'tracker import SOURCE'"
    if any((args.status, args.show, args.search, args.since, args.until, args.queued)):
        return "no episodes match"
    return "no episodes listed: those of shows unsubscribed from are hidden ('--show NAME' lists a show's)"


def run_episodes(args: argparse.Namespace) -> int:
    from ..model.query import select_ids

    library = open_library(args)
    ids = select_ids(library, _selection(args))
    if args.json:
        from ..model.views import episode_views

        print_json(episode_views(library, library.episodes_of(ids)))
        return 0
    listings = library.listings()
    if not ids:
        say(_none_listed(args, bool(listings)))
        return 0
    states = library.state_docs()
    queued = {e.id for e in library.queue()}
    shows = {sid: terminal_safe(s.get("title", "")) for sid, s in library.listed_shows().items()}
    listed_shows = {listings[e].get("show_id", "") for e in ids}
    show_cells = min(SHOW_CELLS, max(4, *(width(shows.get(sid, "")) for sid in listed_shows)))
    id_cells = max(2, max(len(e) for e in ids))
    durations = [clock(listings[e].get("duration_s")) for e in ids]
    duration_cells = max(8, *(len(d) for d in durations))  # 100 hours and more: 100:00:00
    fitted: dict[str, str] = {}
    left = 10**6
    if sys.stdout.isatty():  # on a terminal, a long title is cut rather than wrapped
        left = shutil.get_terminal_size().columns - (id_cells + 2 + 3 + 10 + 2 + duration_cells + 2 + show_cells + 2)
    lines = [f"{'ID':{id_cells}}  {'':2} {'PUBLISHED':10}  {'DURATION':>{duration_cells}}  {'SHOW':{show_cells}}  TITLE"]
    for eid, duration in zip(ids, durations):
        doc = listings[eid]
        status = (states.get(eid) or _NEW).get("status", "new")
        mark = MARKS.get(status, "?") + ("Q" if eid in queued else " ")
        published = local_date(doc.get("published"))
        sid = doc.get("show_id", "")
        show = fitted.get(sid)
        if show is None:
            show = fitted[sid] = fit(shows.get(sid, ""), show_cells)
        title = terminal_safe(doc.get("title", ""))
        lines.append(f"{terminal_safe(eid)}  {mark} {published:10}  {duration:>{duration_cells}}  {show}  "
                     f"{cut(title, max(left, 10))}")
    lines.append("")
    sys.stdout.write("\n".join(lines))  # one write: 100k rows are not 100k system calls
    say(f"{plural(len(ids), 'episode')} · {LEGEND}")
    return 0


def run_show(args: argparse.Namespace) -> int:
    from ..model.views import episode_view

    library = open_library(args)
    eid = library.resolve(args.ref)
    queue = [e.id for e in library.queue()]
    view = episode_view(library, library.episode(eid), queue_position=queue.index(eid) + 1 if eid in queue else None,
                        description=True)
    if args.json:
        print_json(view)
        return 0
    say(view["title"])
    say(f"{view['show']}  ·  {local_date(view['published']) or 'undated'}  ·  {clock(view['duration_s'])}")
    queued = f"  ·  queued #{view['queue_position']}" if view["queue_position"] else ""
    at = f" at {clock(view['position_s'])}" if view["status"] == "in_progress" else ""
    say(f"id {view['id']}  ·  {status_word(view['status'])}{at}{queued}")
    res = view["resume"]
    title = view["chapters"][res["chapter"] - 1]["title"] if res["chapter"] else None
    say("resume: " + resume_text(res["chapter"], title, res["position_s"]))
    if view["chapters"]:
        say(f"\nchapters (from {view['chapters_source']}):")
        for ch in view["chapters"]:
            say(f"  {ch['n']:>3}. {clock(ch['start_s']):>8}  {status_word(ch['state']):<11}  {ch['title']}")
    if view["description"]:
        say("\n" + view["description"])
    return 0
