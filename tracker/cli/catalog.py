"""Commands about the catalog: import, refresh, episodes, show, export."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from typing import TYPE_CHECKING

from ..model.errors import UsageError
from ..model.library import Library
from .common import clock, open_library, print_json

if TYPE_CHECKING:  # loaded by the commands that use them: start-up stays light
    from ..importers.service import Outcome
    from ..model.query import Selection

STATUS_MARK = {"new": " ", "in_progress": "~", "listened": "✓"}


def run_import(args: argparse.Namespace) -> int:
    from ..importers.service import import_sources

    library = open_library(args)
    outcomes = import_sources(library, args.sources, remote_chapters=not args.no_remote_chapters)
    return _report_outcomes(library, outcomes, args.json)


def run_refresh(args: argparse.Namespace) -> int:
    from ..importers.service import refresh

    library = open_library(args)
    outcomes = refresh(library, args.show, remote_chapters=not args.no_remote_chapters)
    if not outcomes and not args.json:
        print("no shows with a feed URL to refresh" + (f" matching {args.show!r}" if args.show else ""))
    return _report_outcomes(library, outcomes, args.json)


def _report_outcomes(library: Library, outcomes: list[Outcome], as_json: bool) -> int:
    if as_json:
        print_json({"ok": all(o.ok for o in outcomes), "sources": [o.to_json() for o in outcomes]})
    else:
        for o in outcomes:
            if o.ok:
                what = f"{o.show}: " if o.show else ""
                kind = f" [{o.kind}]" if o.kind else ""
                print(f"{o.source}{kind}: {what}{o.message}")
            else:
                print(f"tracker: {o.source}: {o.message}", file=sys.stderr)
    return 0 if all(o.ok for o in outcomes) else 1


def _selection(args: argparse.Namespace) -> Selection:
    from ..model.query import Selection

    since = until = None
    if args.since or args.until:
        from ..dates import parse_user_date

        try:
            since = parse_user_date(args.since) if args.since else None
            until = parse_user_date(args.until) if args.until else None
        except ValueError as err:
            raise UsageError(str(err)) from None
    return Selection(args.status, args.show, args.search, since, until, args.queued, args.sort)


def run_episodes(args: argparse.Namespace) -> int:
    from ..model.query import select_ids
    from ..model.views import episode_views

    library = open_library(args)
    ids = select_ids(library, _selection(args))
    if args.json:
        print_json(episode_views(library, library.episodes_of(ids)))
        return 0
    states = library.state_docs()
    queued = {e.id for e in library.queue()}
    listings = library.listings()
    shows = library.shows()
    out = sys.stdout
    for eid in ids:
        doc = listings[eid]
        status = (states.get(eid) or {}).get("status", "new")
        mark = STATUS_MARK[status] + ("Q" if eid in queued else " ")
        published = (doc.get("published") or "")[:10]
        show = (shows.get(doc.get("show_id", "")) or {}).get("title", "")
        out.write(f"{eid}  {mark} {published:10}  {clock(doc.get('duration_s')):>8}  {show[:28]:28}  {doc.get('title', '')}\n")
    if not ids:
        print("no episodes" + ("" if listings else ": import some with 'tracker import SOURCE'"))
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
    print(view["title"])
    print(f"{view['show']}  ·  {(view['published'] or '?')[:10]}  ·  {clock(view['duration_s'])}")
    status = view["status"].replace("_", " ")
    queued = f"  ·  queued #{view['queue_position']}" if view["queue_position"] else ""
    print(f"id {view['id']}  ·  {status} at {clock(view['position_s'])}{queued}")
    res = view["resume"]
    where = f"chapter {res['chapter']} at " if res["chapter"] else ""
    print(f"resume: {where}{clock(res['position_s'])}")
    if view["chapters"]:
        print(f"\nchapters (from {view['chapters_source']}):")
        for ch in view["chapters"]:
            print(f"  {ch['n']:>3}. {clock(ch['start_s']):>8}  {ch['state']:<11} {ch['title']}")
    if view["description"]:
        print("\n" + view["description"])
    return 0


def run_export(args: argparse.Namespace) -> int:
    library = open_library(args)
    if args.format == "json":
        from ..exchange.tracker_json import export

        text = _json_text(export(library))
    elif args.format == "opml":
        from ..exchange.opml import export_opml

        text = export_opml(library)
    else:
        from ..exchange.gpodder import export_actions

        text = _json_text(export_actions(library))
    if args.output:
        _write_output(Path(args.output), text)
    else:
        sys.stdout.write(text)
    return 0


def _json_text(data: object) -> str:
    import orjson

    return orjson.dumps(data, option=orjson.OPT_INDENT_2).decode() + "\n"


def _write_output(path: Path, text: str) -> None:
    """Exports are user files, not library files, but they too are never half-written."""
    from store.atomic import write_atomic
    from store.errors import WriteFailed

    if not path.parent.is_dir():
        raise UsageError(f"cannot write {path}: its folder does not exist")
    try:
        write_atomic(path, text.encode("utf-8"))
    except WriteFailed as err:
        raise UsageError(str(err)) from None
