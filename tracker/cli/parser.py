"""The command line's grammar: every command, option and help text in one place.

Usage errors are one line (the README promises it), a misspelled command or option
gets a "did you mean", and the choices for statuses and sorts come from the model.
Nothing here imports more than argparse: ``tracker --help`` stays fast.
"""

from __future__ import annotations

import argparse
import re
import sys
from typing import NoReturn, Sequence

from .. import __version__
from ..model.text import terminal_safe
from ..model.vocabulary import SORT_WORDS, SORTS, STATUSES

STATUS_CHOICES: tuple[str, ...] = STATUSES
RAW = argparse.RawDescriptionHelpFormatter

REF_HELP = ("REF is an episode id or a unique prefix of one, at least 4 characters\n"
            "('tracker episodes' lists the ids).")
DATE_HELP = "DATE: 2024-05-01, 'May 7, 2024', today, yesterday, '7 days ago', 'last month'."
POSITION_HELP = "POSITION: SECONDS, M:SS, H:MM:SS, or chN (the start of chapter N)."
EPILOG = f"""\
{REF_HELP}
N is a whole number from 1.
{DATE_HELP}
Run 'tracker COMMAND --help' for a command's options.
Exit status: 0 done, 1 operational failure (library busy, missing or damaged, network),
2 bad usage or input."""


class Parser(argparse.ArgumentParser):
    """argparse with one-line errors and suggestions for misspellings."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {terminal_safe(rephrase(message, self.prog))} (see '{self.prog} --help')\n")


def rephrase(message: str, prog: str = "tracker") -> str:
    """argparse's message on one line, with a suggestion where one is close."""
    m = re.search(r"invalid choice: '([^']*)' \(choose from (.*)\)$", message)
    if m:
        word, listed = m.group(1), m.group(2)
        choices = [c.strip().strip("'") for c in listed.split(",")]
        if message.startswith("argument COMMAND") or message.startswith("argument ACTION"):
            what = "command" if message.startswith("argument COMMAND") else f"{prog.split()[-1]} action"
            return f"unknown {what} '{word}'" + suggest(word, choices, f"; choose from {', '.join(choices)}")
        return message.split(":", 1)[0] + f": '{word}' is not one of {', '.join(choices)}" + suggest(word, choices)
    return " ".join(message.split())


def suggest(word: str, choices: Sequence[str], otherwise: str = "") -> str:
    import difflib  # only on the way to an error

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.75)
    return f"; did you mean '{close[0]}'?" if close else otherwise


def shown(text: str) -> str:
    """A user's word quoted back, cut short: an error line stays one readable line."""
    return repr(text if len(text) <= 24 else text[:24] + "…")


def library_path(text: str) -> str:
    if not text.strip():
        raise argparse.ArgumentTypeError("an empty path is not a library folder")
    return text


def keyword(text: str) -> str:
    """A fixed word as the CLI knows it, whatever case it was typed in (``UP``, ``JSON``)."""
    return text.strip().casefold()


def sort_key(text: str) -> str:
    """A sort by name (``newest``) or by key (``-published``), as the model knows it."""
    word = keyword(text)
    if word in SORTS:
        return word
    if word in SORT_WORDS:
        return SORT_WORDS[word]
    names = list(dict.fromkeys([*SORT_WORDS, *SORTS]))
    raise argparse.ArgumentTypeError(f"{shown(text)} is not a sort: use {', '.join(names)}" + suggest(text, names))


def status(text: str) -> str:
    from ..model.words import status_from_word

    key = status_from_word(text)
    if key is not None:
        return key
    names = [s.replace("_", "-") for s in STATUS_CHOICES]
    raise argparse.ArgumentTypeError(f"{shown(text)} is not a status: use {', '.join(names)}" + suggest(text, names))


def positive(text: str) -> int:
    if len(text) > 9 and text.strip().isdecimal():  # also keeps int() cheap
        raise argparse.ArgumentTypeError(f"{shown(text)} is too large")
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{shown(text)} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{shown(text)} is below 1 (counts start at 1)")
    return value


def build_parser() -> Parser:
    p = Parser(prog="tracker", description="A personal podcast listening tracker. Without a command, opens the TUI.",
               epilog=EPILOG, formatter_class=RAW)
    p.add_argument("--library", metavar="DIR", type=library_path,
                   help="the library folder (default: $TRACKER_LIBRARY, else the user data folder)")
    p.add_argument("--demo", action="store_true",
                   help="use a throw-away library holding a sample show (your library is not touched)")
    p.add_argument("--version", action="version", version=f"tracker {__version__}", help="print the version")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    lib = Parser(add_help=False)
    lib.add_argument("--library", metavar="DIR", type=library_path, default=argparse.SUPPRESS,
                     help="the library folder (as before the command)")

    def cmd(name: str, help: str, handler: str, epilog: str | None = None) -> Parser:
        sp: Parser = sub.add_parser(name, help=help, description=help[0].upper() + help[1:] + ".",
                                    parents=[lib], epilog=epilog, formatter_class=RAW)
        sp.set_defaults(handler=handler)
        return sp

    def json_flag(sp: argparse.ArgumentParser, what: str = "print JSON instead of text", inner: bool = False) -> None:
        # An ACTION's own flag, absent, must not set False over ``sync --json status``.
        sp.add_argument("--json", action="store_true", help=what, default=argparse.SUPPRESS if inner else False)

    sp = cmd("import", "import feeds, OPML lists, show pages, tracker exports or gpodder actions",
             "catalog:run_import", "The format is detected from the content.")
    sp.add_argument("sources", nargs="+", metavar="SOURCE",
                    help="a file path, an http(s) URL, or - for standard input (a pasted show page)")
    json_flag(sp, "print a machine-readable summary")
    sp.add_argument("--no-remote-chapters", action="store_true", help="do not fetch chapter files linked from feeds")
    sp.add_argument("--connections", type=int, metavar="N",
                    help="downloads at once (default: $TRACKER_CONNECTIONS, else 8)")

    sp = cmd("refresh", "fetch URL feeds again (only what changed is downloaded)", "catalog:run_refresh")
    sp.add_argument("show", nargs="?", metavar="SHOW", help="only shows whose name contains SHOW")
    json_flag(sp, "print a machine-readable summary")
    sp.add_argument("--no-remote-chapters", action="store_true", help="do not fetch chapter files linked from feeds")
    sp.add_argument("--connections", type=int, metavar="N",
                    help="downloads at once (default: $TRACKER_CONNECTIONS, else 8)")

    sorts = ", ".join(f"{w} ({k})" if w != k else w for w, k in SORT_WORDS.items())
    sp = cmd("episodes", "list episodes, newest first", "episodes:run_episodes",
             f"{DATE_HELP}\nMarks: ✓ listened, ~ in progress, Q queued.")
    json_flag(sp)
    sp.add_argument("--status", type=status, metavar="STATUS",
                    help=f"only episodes with this status: {', '.join(s.replace('_', '-') for s in STATUS_CHOICES)}")
    sp.add_argument("--show", metavar="TEXT", help="only shows whose name contains TEXT (unsubscribed ones too)")
    sp.add_argument("--search", metavar="TEXT", help="every word of TEXT in the title, show or description")
    sp.add_argument("--since", metavar="DATE", help="published on or after DATE (2025-02: from its 1st day)")
    sp.add_argument("--until", metavar="DATE", help="published on or before DATE (2025-02: up to its last day)")
    sp.add_argument("--queued", action="store_true", help="only queued episodes")
    sp.add_argument("--sort", type=sort_key, default="-published", metavar="ORDER", help=f"the order: {sorts}")

    sp = cmd("show", "one episode, with its description and chapters", "episodes:run_show", REF_HELP)
    sp.add_argument("ref", metavar="REF", help="the episode")
    json_flag(sp)

    sp = cmd("mark", "mark episodes listened or new", "listening:run_mark", REF_HELP)
    sp.add_argument("refs", nargs="+", metavar="REF", help="the episodes")
    g = sp.add_mutually_exclusive_group(required=True)
    g.add_argument("--listened", action="store_true", help="heard: it leaves the queue")
    g.add_argument("--new", action="store_true", help="not heard: clears its progress")

    sp = cmd("progress", "report how far you listened", "listening:run_progress", f"{REF_HELP}\n{POSITION_HELP}")
    sp.add_argument("ref", metavar="REF", help="the episode")
    sp.add_argument("position", metavar="POSITION", help="SECONDS, M:SS, H:MM:SS, or chN (the start of chapter N)")

    sp = cmd("chapter", "mark a chapter done or skipped, or clear it", "listening:run_chapter", REF_HELP)
    sp.add_argument("ref", metavar="REF", help="the episode")
    sp.add_argument("n", type=positive, metavar="N", help="the chapter, from 1 ('tracker show REF' lists them)")
    g = sp.add_mutually_exclusive_group(required=True)
    g.add_argument("--done", action="store_true", help="heard")
    g.add_argument("--skip", action="store_true", help="skipped: resume and playback pass over it")
    g.add_argument("--clear", action="store_true",
                   help="neither: unmarked and unheard (what was heard of it is forgotten)")

    sp = cmd("resume", "where to pick an episode up again", "listening:run_resume", REF_HELP)
    sp.add_argument("ref", metavar="REF", help="the episode")
    json_flag(sp)

    sp = cmd("queue", "show or change the queue", "queue:run_queue",
             "Without an ACTION, lists the queue with the time left.\n" + REF_HELP)
    json_flag(sp, "print the queue as JSON")
    qsub = sp.add_subparsers(dest="queue_command", metavar="ACTION", parser_class=Parser)

    def qcmd(name: str, help: str, epilog: str = REF_HELP) -> Parser:
        qp: Parser = qsub.add_parser(name, help=help, description=help[0].upper() + help[1:] + ".",
                                     parents=[lib], epilog=epilog, formatter_class=RAW)
        return qp

    qp = qcmd("add", "add episodes at the end of the queue (or next)")
    qp.add_argument("refs", nargs="+", metavar="REF", help="the episodes")
    qp.add_argument("--next", action="store_true", help="add at the top, to play next")
    qp.add_argument("--chapter", type=positive, metavar="N",
                    help="start at chapter N: the resume point moves to its start")
    qp = qcmd("move", "move an episode in the queue",
              "TO is a position from 1 (1 is the top), or top, bottom, up, down.\n" + REF_HELP)
    qp.add_argument("ref", metavar="REF", help="a queued episode")
    qp.add_argument("to", metavar="TO", help="a position from 1, or top, bottom, up, down")
    qp = qcmd("remove", "remove episodes from the queue")
    qp.add_argument("refs", nargs="+", metavar="REF", help="queued episodes")
    qcmd("clear", "empty the queue", "Undo brings it back.")

    sp = cmd("play", "play an episode through mpv, recording what you hear chapter by chapter", "play:run_play",
             "Starts at the resume point (or chapter N) and, at the end, goes on with the next queued\n"
             "episode. On a terminal a status line; otherwise a line per chapter. Ctrl-C stops and saves.\n"
             "Needs mpv; TRACKER_MPV_OPTIONS is added to its command line.\n"
             "Exit status: 0 stopped or finished, 1 mpv missing, dead or hung, the audio cannot play\n"
             "or what was heard could not be saved, 2 bad usage.\n"
             + REF_HELP)
    sp.add_argument("ref", metavar="REF", help="the episode")
    sp.add_argument("--chapter", type=positive, metavar="N", help="start at chapter N instead of the resume point")
    sp.add_argument("--speed", type=float, metavar="X", help="playback speed, 0.5 to 3 (remembered for the show)")
    sp.add_argument("--no-advance", action="store_true", help="stop at the end instead of playing the next queued episode")

    sp = cmd("undo", "undo the last change (or the last N)", "history:run_undo",
             "More than 10 steps ask first on a terminal, and need --yes otherwise.")
    sp.add_argument("--steps", type=positive, default=1, metavar="N", help="how many changes to undo (default 1)")
    sp.add_argument("--yes", action="store_true", help="do not ask, even for more than 10 steps")

    sp = cmd("redo", "redo what undo took back (or the last N)", "history:run_redo",
             "More than 10 steps ask first on a terminal, and need --yes otherwise.")
    sp.add_argument("--steps", type=positive, default=1, metavar="N", help="how many changes to redo (default 1)")
    sp.add_argument("--yes", action="store_true", help="do not ask, even for more than 10 steps")

    sp = cmd("history", "the changes made, newest first, in local time", "history:run_history")
    json_flag(sp, "print JSON (times in UTC, ISO 8601)")
    sp.add_argument("--limit", type=positive, default=20, metavar="N", help="show the newest N changes (default 20)")

    sp = cmd("stats", "time heard, per period and per show; the queue", "stats:run_stats")
    json_flag(sp)

    sp = cmd("sync", "sync listening and subscriptions with a gpodder.net or Nextcloud server", "sync:run_sync",
             "Without an ACTION, runs one sync and says what moved each way.\n"
             "The password comes from TRACKER_SYNC_PASSWORD or a prompt, never from the command line.")
    json_flag(sp, "print what moved as JSON")
    ssub = sp.add_subparsers(dest="sync_command", metavar="ACTION", parser_class=Parser)

    def scmd(name: str, help: str, epilog: str | None = None) -> Parser:
        sq: Parser = ssub.add_parser(name, help=help, description=help[0].upper() + help[1:] + ".",
                                     parents=[lib], epilog=epilog, formatter_class=RAW)
        return sq

    sq = scmd("setup", "check the login and register this device",
              "The password comes from TRACKER_SYNC_PASSWORD or a prompt; it is kept in the config folder\n"
              "(mode 0600), never in the library. Examples:\n"
              "  tracker sync setup https://gpodder.net --user ada\n"
              "  tracker sync setup https://cloud.example.com --user ada --flavor nextcloud")
    sq.add_argument("url", metavar="URL", help="the server: https://gpodder.net, your Nextcloud, ...")
    sq.add_argument("--user", required=True, help="the account's user name")
    sq.add_argument("--device", help="this device's id on the server (default: tracker-HOSTNAME)")
    sq.add_argument("--flavor", type=keyword, choices=("gpodder", "nextcloud"), default="gpodder",
                    help="gpodder: gpodder.net API 2 servers (default); nextcloud: the gpoddersync app")
    sq.add_argument("--interval", type=float, metavar="MIN", help="minutes between syncs in the TUI (default 15)")
    sq = scmd("status", "server, user, device, last sync and pending uploads")
    json_flag(sq, inner=True)
    scmd("forget", "remove the setup and its password (listening stays in the library)")

    sp = cmd("info", "which library is in use: its folder, size and files", "info:run_info")
    json_flag(sp)

    sp = cmd("export", "write the library in an open format", "export:run_export")
    sp.add_argument("--format", required=True, type=keyword, choices=("json", "opml", "gpodder"),
                    help="json: everything (import reads it back); opml: subscriptions; gpodder: listening as episode actions")
    sp.add_argument("-o", "--output", metavar="FILE",
                    help="write to FILE (atomically; not inside the library folder) instead of standard output (- is standard output)")
    return p


def subparser(parser: argparse.ArgumentParser, path: Sequence[str]) -> argparse.ArgumentParser:
    """The parser of ``tracker COMMAND [ACTION]`` (for suggesting its options)."""
    for name in path:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction) and name in action.choices:
                parser = action.choices[name]
                break
    return parser


def options_of(parser: argparse.ArgumentParser) -> list[str]:
    return [s for a in parser._actions for s in a.option_strings]


def unknown_option(parser: argparse.ArgumentParser, prog: str, token: str) -> NoReturn:
    name = token.split("=", 1)[0]
    where = f"'{prog} --help'"
    sys.stderr.write(f"{prog}: unknown option {terminal_safe(name)}{suggest(name, options_of(parser))} (see {where})\n")
    raise SystemExit(2)
