"""The child process of ``background.import_in_process``: one import, reported as JSON lines.

    python -m tracker.importers.worker '{"folder": ..., "sources": [...], ...}'

Each line is ``{"progress": {...}}``, then ``{"outcomes": [...]}``, or ``{"error": ...,
"kind": ...}`` when the whole import failed (a bad setting, a busy library, Ctrl-C).
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from typing import Any

from ..model.errors import TrackerError
from ..model.library import Library
from .run import Progress
from .service import import_sources


def _say(doc: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(doc) + "\n")
    sys.stdout.flush()


def _progress(step: Progress) -> None:
    _say({"progress": {"done": step.done, "total": step.total, "source": step.source,
                       "outcome": asdict(step.outcome) if step.outcome else None}})


def main(argv: list[str]) -> int:
    try:
        request = json.loads(argv[0])
        library = Library(request["folder"])
        outcomes = import_sources(library, list(request["sources"]), bool(request.get("remote_chapters", True)),
                                  progress=_progress, connections=request.get("connections"), halves=True)
    except TrackerError as err:
        _say({"error": str(err), "kind": type(err).__name__})
        return err.exit_code
    except KeyboardInterrupt:
        _say({"error": "interrupted", "kind": "ImportInterrupted"})
        return 130
    except Exception as err:  # noqa: BLE001 - the store's errors and the like: one line for the parent
        _say({"error": str(err).splitlines()[0] if str(err) else type(err).__name__, "kind": type(err).__name__})
        return 1
    _say({"outcomes": [o.to_json() for o in outcomes]})
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
