"""`tracker export`: the library in an open format, to standard output or a file."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..model.errors import UsageError
from ..model.library import Library
from ..model.words import plural
from .common import open_library
from .output import json_text, warn, write_file_bytes, xml_inert


def run_export(args: argparse.Namespace) -> int:
    if args.output == "":  # ``-o "$FILE"`` with FILE unset: not the terminal, which took the whole export
        raise UsageError("-o needs a file name (or - for standard output)")
    library = open_library(args)
    # ``-o -`` is standard output, as ``import -`` is standard input (it wrote a file named "-")
    target = Path(args.output).expanduser() if args.output and args.output != "-" else None
    notes: list[str] = []  # said once the export is written (a refused one says only why)
    if args.format == "json":
        from ..exchange.tracker_json import export

        text = json_text(export(library))
    elif args.format == "opml":
        from ..importers.opml import export_opml

        hidden = library.unsubscribed()  # your subscriptions: not the shows you left
        listing = export_opml({sid: show for sid, show in library.shows().items() if sid not in hidden})
        text = xml_inert(listing.text)
        if listing.left_out:
            n = len(listing.left_out)
            notes.append(f"left out {plural(n, 'show')} with no feed address (read from a file or a show page), "
                         f"which an OPML list cannot name: {', '.join(listing.left_out[:3])}{', ...' if n > 3 else ''}")
    else:
        from ..exchange.gpodder import export_actions

        exported = export_actions(library)
        text = json_text(exported.actions)
        notes += [f"left out {line}" for line in exported.left_out[:20]]
        if len(exported.left_out) > 20:
            notes.append(f"left out {len(exported.left_out) - 20:,} more episodes")
    if target is None:
        write_file_bytes(text.encode("utf-8"))
    else:
        _write(library, target, text)
    for note in notes:
        warn(note)
    return 0


def _write(library: Library, path: Path, text: str) -> None:
    """Exports are user files, not library files, but they too are never half-written,
    and never land inside the library folder (the store refuses: exit 2)."""
    from store import write_export

    if not path.parent.is_dir():  # a typo in the path is bad input; a full disk is not (exit 1)
        raise UsageError(f"cannot write {path}: its folder does not exist")
    if path.is_dir():  # bad input too: -o names a folder, not the file to write
        raise UsageError(f"cannot write {path}: it is a folder; name the file to write in it")
    write_export(path, text.encode("utf-8"), library.folder)
