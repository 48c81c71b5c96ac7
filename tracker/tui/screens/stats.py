"""The Stats screen: time heard per day (30 days) and per week (26 weeks), per show,
chapters done against skipped, the current and longest streak; each plot with its
numbers beside it. The numbers are the model's (``model/stats.py``, the CLI's ``stats``
too): heard time is what was credited as heard, never the length of an episode marked
listened, and "marked, not heard" is counted apart.
"""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from textual import work
from textual.app import ComposeResult
from textual.events import Resize
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Static
from textual.worker import get_current_worker
from textual_plotext import PlotextPlot

from ...model.text import terminal_safe
from ...model.stats import LISTENING_DAY_S, Stats, local_today, stats
from ..messages import LibraryChanged
from ..text import bar, clock, fit, literal
from ..trouble import LIBRARY_ERRORS
from .base import TrackerScreen

SHOWS_PLOTTED = 8
NEW_DAY_CHECK_S = 30  # how soon after midnight the screen moves to the new day
NARROW_BELOW = 72  # columns: the numbers go under each plot, not beside it


def hours(seconds: float) -> str:
    """``3 h 05`` / ``42 min``: time heard, for people rather than clocks; ``<1 min`` for a
    few seconds, which count as a day of listening (the streak) and are not nothing."""
    minutes = int(round(seconds / 60))
    if minutes == 0 and seconds >= LISTENING_DAY_S:
        return "<1 min"
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d}"


class StatsReady(Message):
    def __init__(self, numbers: Stats) -> None:
        super().__init__()
        self.numbers = numbers


class StatsScreen(TrackerScreen):
    numbers: Stats | None = None

    DEFAULT_CSS = """
    StatsScreen #stats-body { height: 1fr; }
    StatsScreen #stats-summary { padding: 0 1; margin-bottom: 1; }
    StatsScreen .stats-row { height: 14; margin-bottom: 1; }
    StatsScreen .stats-numbers { width: 30; padding: 0 1; color: $text-muted; }
    StatsScreen PlotextPlot { width: 1fr; height: 1fr; }
    StatsScreen .stats-shows { height: auto; }
    StatsScreen #shows-bars { width: 1fr; padding: 0 1; color: $success; }
    StatsScreen.-narrow .stats-row { layout: vertical; height: auto; }
    StatsScreen.-narrow PlotextPlot { height: 14; }
    StatsScreen.-narrow .stats-shows { layout: vertical; }
    StatsScreen.-narrow .stats-numbers { width: 1fr; height: auto; }
    """

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="stats-body"):
            yield Static("Counting…", id="stats-summary", markup=False)
            for name in ("days", "weeks"):
                with Horizontal(classes="stats-row"):
                    yield PlotextPlot(id=f"plot-{name}")
                    yield Static(id=f"numbers-{name}", classes="stats-numbers", markup=False)
            with Horizontal(classes="stats-shows"):
                yield Static(id="shows-bars", markup=False)
                yield Static(id="numbers-shows", classes="stats-numbers", markup=False)
        yield from self.compose_bottom()

    def on_mount(self) -> None:
        self.set_class(self.app.size.width < NARROW_BELOW, "-narrow")
        self.count()
        self.set_focus(self.query_one("#stats-body"))
        self.set_interval(NEW_DAY_CHECK_S, self.count_if_new_day)

    def on_screen_resume(self) -> None:
        self.count_if_new_day()  # (the base class's handler runs too: a change made meanwhile)

    def count_if_new_day(self) -> None:
        """Count again once the local date moved on: numbers counted before midnight would
        show yesterday's time as today's, and the plots would end on yesterday, until
        the next change in the library."""
        if self.numbers is not None and self.numbers.today != local_today().isoformat():
            self.count()

    def refresh_from_library(self, change: LibraryChanged) -> None:
        """The catalog too: a refresh that renames a show changes nothing else, and the
        per-show bars would go on with its old name."""
        if change.touches("state", "history", "catalog"):
            self.count()

    @work(thread=True, exclusive=True, group="stats")
    def count(self) -> None:
        """The numbers in a thread: the screen paints at once and fills in. A library that
        cannot be read is the app's one notice; the screen says it has no numbers."""
        try:
            numbers = stats(self.library)
        except LIBRARY_ERRORS as err:
            self.app.call_from_thread(self.cannot_count, err)
            return
        if get_current_worker().is_cancelled:
            return  # a newer count began meanwhile (a thread runs on when cancelled): its numbers are the ones to show
        self.post_message(StatsReady(numbers))

    def cannot_count(self, error: BaseException) -> None:
        self.tracker.library_trouble(error)
        if self.numbers is None:
            self.query_one("#stats-summary", Static).update(
                literal("No numbers: the library could not be read (see the notice). They come once it reads again."))

    def on_stats_ready(self, message: StatsReady) -> None:
        self.numbers = message.numbers
        self.show(message.numbers)

    def on_resize(self, event: Resize) -> None:
        """Beside each plot, the numbers' 30 columns would leave a narrow terminal's plot a
        few columns, too few for its title or its bars."""
        self.set_class(event.size.width < NARROW_BELOW, "-narrow")
        if self.numbers is not None:
            self.call_after_refresh(self.show, self.numbers)  # the date labels fit the new width

    def show(self, s: Stats) -> None:
        not_heard = f" ({s.marked_not_heard:,} marked, not heard)" if s.marked_not_heard else ""
        unknown = f", {s.queue_unknown_length} of unknown length" if s.queue_unknown_length else ""
        summary = (
            f"Heard today {hours(s.heard_today_s)} · this week {hours(s.heard_week_s)} · "
            f"this month {hours(s.heard_month_s)} · in all {hours(s.heard_all_s)}\n"
            f"Streak {s.streak_current} day{'s' if s.streak_current != 1 else ''} "
            f"(longest {s.streak_longest}) · chapters {s.chapters_done:,} done, {s.chapters_skipped:,} skipped · "
            f"episodes {s.listened:,} listened{not_heard}, {s.in_progress:,} in progress · "
            f"queue {s.queue_episodes} episode{'s' if s.queue_episodes != 1 else ''}, "
            f"{clock(s.queue_remaining_s)} left{unknown}"
        )
        self.query_one("#stats-summary", Static).update(literal(summary, multiline=True))
        self._days(s.days)
        self._weeks(s.weeks)
        self._shows(s.per_show, s.chapters_done, s.chapters_skipped)

    def _bars(self, name: str, titles: tuple[str, ...], labels: list[str], values: list[float], unit: str) -> None:
        """``titles`` longest first: the longest that fits (plotext leaves out a title
        wider than the plot, and a bare chart does not say what its bars count)."""
        plot = self.query_one(f"#plot-{name}", PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        room = (plot.size.width or 80) - 7  # (the y axis's labels take the left of the plot)
        plt.title(next((t for t in titles if len(t) <= room), titles[-1]))
        plt.bar(labels, values, marker="hd")
        # Every k-th date, chosen from the width: plotext would thin them differently from run to run.
        room = max(10, (plot.size.width or 80) - 10)
        step = max(1, -(-len(labels) * 7 // room))
        shown = list(range(0, len(labels), step))
        plt.xticks([i + 1 for i in shown], [labels[i] for i in shown])
        plt.ylabel(unit)
        if not any(values):
            plt.ylim(0, 1)  # nothing heard: plotext would centre the axis on 0, down to -1 of the unit
        plot.refresh()

    def _days(self, days: list[dict[str, Any]]) -> None:
        labels = [d["date"][5:] for d in days]
        self._bars("days", ("Heard per day, last 30 days", "Heard per day"), labels, [d["heard_s"] / 60 for d in days], "minutes")
        total = sum(d["heard_s"] for d in days)
        active = sum(1 for d in days if d["heard_s"] >= LISTENING_DAY_S)  # as the streak counts them
        lines = [f"30 days: {hours(total)}", f"{active} day{'s' if active != 1 else ''} with listening", ""]
        lines += [f"{d['date'][5:]}  {hours(d['heard_s'])}" for d in reversed(days[-7:])]
        self.query_one("#numbers-days", Static).update(literal("\n".join(lines), multiline=True))

    def _weeks(self, weeks: list[dict[str, Any]]) -> None:
        labels = [w["week"][5:] for w in weeks]
        titles = ("Heard per week, last 26 weeks (by Monday)", "Heard per week, 26 weeks", "Heard per week")
        self._bars("weeks", titles, labels, [w["heard_s"] / 3600 for w in weeks], "hours")
        total = sum(w["heard_s"] for w in weeks)
        lines = [f"26 weeks: {hours(total)}", f"a week: {hours(total / max(1, len(weeks)))} on average", ""]
        lines += [f"{w['week'][5:]}  {hours(w['heard_s'])}" for w in reversed(weeks[-6:])]
        self.query_one("#numbers-weeks", Static).update(literal("\n".join(lines), multiline=True))

    def _shows(self, per_show: list[dict[str, Any]], done: int, skipped: int) -> None:
        """Per show, a bar each with its time beside it (text bars: a name per row reads
        better than a plot's axis, and draws in a fraction of the time)."""
        top = per_show[:SHOWS_PLOTTED]
        width = max(20, self.query_one("#shows-bars").size.width or 80)
        # by cells as shown (a CJK character takes two, a control character is spelled out),
        # and narrower on a narrow terminal, whose lines would break in two
        name_w = min(28, width - 16, max((cell_len(terminal_safe(s["show"])) for s in top), default=4))
        bar_w = max(4, width - name_w - 12)
        most = max((s["heard_s"] for s in top), default=0) or 1
        lines = ["Heard per show", ""]
        lines += [f"{fit(s['show'], name_w)} {bar(s['heard_s'] / most, bar_w)} {hours(s['heard_s']):>8}" for s in top]
        if not top:
            lines.append("nothing heard yet")
        self.query_one("#shows-bars", Static).update(literal("\n".join(lines), multiline=True))
        more = len(per_show) - len(top)
        numbers = [f"{len(per_show)} show{'s' if len(per_show) != 1 else ''} heard"]
        if more > 0:
            numbers.append(f"{more} more: {hours(sum(s['heard_s'] for s in per_show[len(top):]))}")
        most_marked = max(done, skipped) or 1
        numbers += ["", "Chapters", f"done    {bar(done / most_marked, 12)} {done:>7,}",
                    f"skipped {bar(skipped / most_marked, 12)} {skipped:>7,}"]
        self.query_one("#numbers-shows", Static).update(literal("\n".join(numbers), multiline=True))
