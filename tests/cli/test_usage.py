"""Issue 14 items 1, 2 and 7: --demo, the documented sort forms, help and usage errors."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from tests.cli.support import ok, one_line_error, tracker
from tracker.cli.parser import build_parser


def _all_parsers(parser: argparse.ArgumentParser, path: str = "tracker") -> list[tuple[str, argparse.ArgumentParser]]:
    found = [(path, parser)]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found += _all_parsers(sub, f"{path} {name}")
    return found


def test_every_option_and_argument_has_help_text() -> None:
    missing = []
    for path, parser in _all_parsers(build_parser()):
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                helpless = [c.dest for c in action._choices_actions if not c.help]
                missing += [f"{path} {name}" for name in helpless]
            elif not action.help or action.help == argparse.SUPPRESS:
                missing.append(f"{path} {'/'.join(action.option_strings) or action.metavar}")
    assert missing == []


def test_help_explains_ref_n_dates_and_queue_targets() -> None:
    top = tracker("--help")
    assert top.returncode == 0
    assert "REF is an episode id or a unique prefix" in top.stdout and "N is a whole number" in top.stdout
    assert "7 days ago" in top.stdout and "Exit status" in top.stdout
    episodes = tracker("episodes", "--help").stdout
    assert "published on or after DATE" in episodes and "'May 7, 2024'" in episodes
    assert "newest (-published)" in episodes and "in-progress" in episodes
    queue = tracker("queue", "--help").stdout
    for action, words in (("add", "add episodes at the end"), ("move", "move an episode"),
                          ("remove", "remove episodes"), ("clear", "empty the queue")):
        assert action in queue and words in queue
    move = tracker("queue", "move", "--help").stdout
    assert "TO is a position from 1 (1 is the top), or top, bottom, up, down" in move
    assert "--steps N" in tracker("undo", "--help").stdout


def test_usage_errors_are_one_line_with_a_suggestion(tmp_path: Path) -> None:
    cases = [
        (["episode"], "tracker: unknown command 'episode'; did you mean 'episodes'?"),
        (["--libary", str(tmp_path), "episodes"], "tracker: unknown option --libary; did you mean '--library'?"),
        (["episodes", "--stauts", "new"], "tracker episodes: unknown option --stauts; did you mean '--status'?"),
        (["queue", "ad", "abcd"], "tracker queue: unknown queue action 'ad'; did you mean 'add'?"),
        (["episodes", "--sort", "newst"], "did you mean 'newest'?"),
        (["episodes", "--sort", "-title"], "'-title' is not a sort: use newest, oldest"),
        (["episodes", "--status", "bogus"], "'bogus' is not a status: use new, in-progress, listened"),
        (["mark", "--listened"], "the following arguments are required: REF"),
        (["chapter", "abcd", "0", "--done"], "'0' is below 1"),
        (["sync", "stauts"], "tracker sync: unknown sync action 'stauts'; did you mean 'status'?"),
        (["undo", "--steps", "many"], "'many' is not a whole number"),
        (["export", "--format", "csv"], "'csv' is not one of json, opml, gpodder"),
        (["--library", "", "episodes"], "an empty path is not a library folder"),
        (["episodes", "surplus"], "unexpected argument 'surplus'"),
        (["--json", "episodes"], "--json is an option of 'episodes': put it after the command"),
        (["histroy"], "did you mean 'history'?"),
    ]
    for args, said in cases:
        r = tracker(*args, env={"TRACKER_LIBRARY": str(tmp_path / "nowhere")})
        err = one_line_error(r, 2, args)
        assert said in err, (args, err)
        assert "--help" in err  # where to read more, on the same line
    assert not (tmp_path / "nowhere").exists()


def test_sort_in_the_documented_forms(lib: Path) -> None:
    def titles(*sort: str) -> list[str]:
        return [e["title"] for e in json.loads(ok(lib, "episodes", "--json", *sort))]

    newest = titles("--sort", "-published")
    assert newest == titles("--sort=-published") == titles("--sort", "newest") == titles()
    assert newest[:2] == ["The Lighthouse Keeper", "Radio Silence"]
    oldest = json.loads(ok(lib, "episodes", "--json", "--sort", "oldest"))
    assert [e["title"] for e in oldest] == titles("--sort", "published")
    dates = [e["published"] for e in oldest if e["published"]]
    assert dates == sorted(dates) and len(set(dates)) > 2
    assert titles("--sort", "shortest")[0] == "Bonus: no guid"
    assert titles("--sort", "duration") == titles("--sort", "shortest")
    assert titles("--sort", "title") == sorted(newest, key=str.casefold)


def test_demo_runs_on_a_demo_library_and_never_touches_yours(lib: Path, tmp_path: Path) -> None:
    before = {p.name: p.read_bytes() for p in lib.iterdir() if p.is_file()}
    env: dict[str, str | None] = {"TRACKER_LIBRARY": str(lib)}
    r = tracker("--demo", "episodes", "--json", env=env)
    assert r.returncode == 0, r.stderr
    demo_titles = {e["title"] for e in json.loads(r.stdout)}
    assert "Welcome to Slow Radio" in demo_titles and "Radio Silence" not in demo_titles
    assert "demo library" in r.stderr
    assert tracker("--demo", "queue", "clear", env=env).returncode == 0
    assert tracker("--demo", "mark", "--listened", *(e["id"] for e in json.loads(r.stdout)), env=env).returncode == 0
    assert {p.name: p.read_bytes() for p in lib.iterdir() if p.is_file()} == before
    # nor the default library (the platform's data folder)
    data = tmp_path / "data"
    r = tracker("--demo", "stats", env={"TRACKER_LIBRARY": None, "XDG_DATA_HOME": str(data), "HOME": str(tmp_path)})
    assert r.returncode == 0, r.stderr
    assert not data.exists()
    err = one_line_error(tracker("--demo", "--library", str(lib), "episodes"), 2)
    assert "--demo uses its own library" in err


def test_one_version_source() -> None:
    from importlib.metadata import version

    import tracker as package

    assert tracker("--version").stdout.strip() == f"tracker {package.__version__}"
    assert version("tracker") == package.__version__
