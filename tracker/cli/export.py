"""`tracker export`: the library in an open format, to standard output or a file."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..model.errors import UsageError
from ..model.library import Library
from .common import open_library
from .output import json_text, warn, write_file_bytes, xml_inert


def run_export(args: argparse.Namespace) -> int:
    if args.output == "":  # ``-o "$FILE"`` with FILE unset: not the terminal, which took the whole export
        raise UsageError("-o needs a file name (or - for standard output)")
    library = open_library(args)
    # ``-o -`` is standard output, as ``import -`` is standard input (it wrote a file named "-")
    target = Path(args.output).expanduser() if args.output and args.output != "-" else None
    if args.format == "json":
        from ..exchange.tracker_json import export

        text = json_text(export(library))
    elif args.format == "opml":
        from ..importers.opml import export_opml

        hidden = library.unsubscribed()  # your subscriptions: not the shows you left
        text = xml_inert(export_opml({sid: show for sid, show in library.shows().items() if sid not in hidden}))
    else:
        from ..exchange.gpodder import export_actions

        exported = export_actions(library)
        text = json_text(exported.actions)
        for line in exported.left_out[:20]:
            warn(f"left out {line}")
        if len(exported.left_out) > 20:
            warn(f"left out {len(exported.left_out) - 20:,} more episodes")
    if target is None:
        write_file_bytes(text.encode("utf-8"))
    else:
        _write(library, target, text)
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
