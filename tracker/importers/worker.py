"""The child process of ``background.import_in_process`` (and ``refresh_in_process``): one
import or refresh, reported as JSON lines.

    python -m tracker.importers.worker '{"folder": ..., "sources": [...], ...}'
    python -m tracker.importers.worker '{"folder": ..., "refresh": true, "show_id": ..., ...}'

Each line is ``{"progress": {...}}``, then ``{"outcomes": [...]}``, or ``{"error": ...,
"kind": ...}`` when the whole import failed (a bad setting, a busy library, Ctrl-C).
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from typing import Any

from ..model.errors import ImportInterrupted, TrackerError
from ..model.library import Library
from .outcomes import Progress
from .service import import_sources, refresh


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
        chapters, connections = bool(request.get("remote_chapters", True)), request.get("connections")
        if request.get("refresh"):
            outcomes = refresh(library, remote_chapters=chapters, progress=_progress, connections=connections,
                               halves=True, show_id=request.get("show_id"))
        else:
            outcomes = import_sources(library, list(request["sources"]), chapters, progress=_progress,
                                      connections=connections, halves=True)
    except ImportInterrupted as err:  # (the runner's own kind of it too: the parent knows this one)
        _say({"error": str(err), "kind": "ImportInterrupted"})
        return err.exit_code
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
