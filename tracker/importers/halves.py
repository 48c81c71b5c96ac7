"""A large feed imported alone is parsed in two halves at once, on two cores.

Reading items is Python work (some 35 µs an item), so a 5,000-item feed keeps one
core busy for most of its import while the other idles. Where the process can fork
(POSIX), a core is spare (the load average) and the document is large, it is cut
at an item past its middle: this process reads the first part while a forked
child reads the rest and sends back its episodes as rows of plain values.

The parser itself checks the cut: the first half, closed with the container's end
tags, must parse, which it does only when the cut lies between two children of the
container (not inside a comment, a CDATA section or another element); the second
half is the document's head (up to the container's start tag) and the rest. When
anything is off (no such item, either half malformed, the child failing or
killed) the document is parsed whole, as it always was: this only saves time.

A bulk import never cuts: its feeds are parsed side by side already.
"""

from __future__ import annotations

import os
import pickle
import re
import select
import signal
import time
from typing import Any, NoReturn
from xml.etree.ElementTree import Element, ParseError

from .machine import cores, parse_processes
from .records import FeedEpisode, episodes_from_rows, episodes_to_rows
from .xmlsafe import Names, Reader, local, refuse_entities, root_name, stream_part, stream_utf8, to_utf8

MIN_BYTES = 2 * 1024 * 1024  # below this, forking costs about what the half saves
# This process takes the larger share: the child pays for copying each memory page it
# writes that it shares with its parent (its half read ~45% slower) and for sending.
FIRST_SHARE = 0.6
_START_TAG = re.compile(rb"<([A-Za-z_][\w:.-]{0,100})")
_AFTER_NAME = frozenset(b"> \t\r\n/")
_MARKUP = re.compile(rb"<[!?]")
WAIT_S = 2.0  # the least time the child is waited for once this process's part is read
LOOKS, LOOK_GAP_S = 3, 0.001  # how often, how far apart, the run queue is read before a core counts as busy
WAIT_FACTOR = 4  # ... or this many times what that part took, if longer

Streamed = tuple[Element, Element | None, Names, list[FeedEpisode]]


def stream_feed(raw: bytes, container: tuple[str, ...], item: str, read: Reader[FeedEpisode],
                alone: bool = False) -> Streamed:
    """``xmlsafe.stream``; with ``alone`` (the only document of an import), a large one
    is read in two halves at once where a core is spare."""
    data = to_utf8(raw)
    refuse_entities(data)
    if alone and len(data) >= MIN_BYTES and wanted():
        cut = cut_in_two(data, container, item)
        if cut is not None:
            got = _in_halves(cut, container, item, read)
            if got is not None:
                return got
    return stream_utf8(data, container, item, read)


def wanted() -> bool:
    """Fork is there, no setting forbids a second process, and a core is idle now."""
    setting = parse_processes()
    if not hasattr(os, "fork") or (setting is not None and setting < 2):
        return False
    count = cores()
    if count < 2:
        return False
    others = _others_running()
    for _ in range(LOOKS - 1):  # (a kernel thread runnable for an instant is no busy core:
        if others is None or others <= count - 2:  # look again, briefly, before giving up a core)
            break
        time.sleep(LOOK_GAP_S)
        others = _others_running()
    if others is not None:
        return others <= count - 2
    try:
        return os.getloadavg()[0] <= count - 1
    except (AttributeError, OSError):
        return False


def _others_running() -> int | None:
    """How many other threads are running or ready to run right now (Linux: the fourth
    field of ``/proc/loadavg``, which counts this one); None where it is not known. The
    load average itself lags: a minute after a burst it still says the cores are busy."""
    try:
        with open("/proc/loadavg", "rb") as f:
            return int(f.read().split()[3].split(b"/")[0]) - 1
    except (OSError, ValueError, IndexError):
        return None


def cut_in_two(data: bytes, container: tuple[str, ...], item: str) -> tuple[bytes, bytes] | None:
    """``(first, second)``: the document up to an ``item`` start tag near its middle,
    closed with the container's end tags, and the document's head up to the
    container's start tag followed by the rest; None when no such cut is found."""
    found = root_name(data)
    if found is None:
        return None
    at = found[0]
    names: list[bytes] = []
    for depth, wanted_name in enumerate(container):
        if depth:  # the next element of the chain: the first start tag of that name after
            at = data.find(b"<" + wanted_name.encode("ascii"), at + 1)
            if at < 0:
                return None
        m = _START_TAG.match(data, at)
        if m is None or local(m.group(1).decode("ascii", "replace")).lower() != wanted_name:
            return None
        names.append(m.group(1))
        at = m.start()
    head_end = data.find(b">", at) + 1
    if head_end <= 0 or _MARKUP.search(data, found[0], head_end):  # (a comment, CDATA or PI could hide a tag)
        return None
    needle = b"<" + item.encode("ascii")
    cut = data.find(needle, max(head_end, int(len(data) * FIRST_SHARE)))
    while 0 <= cut < len(data) - len(needle) and data[cut + len(needle)] not in _AFTER_NAME:
        cut = data.find(needle, cut + 1)
    if not 0 <= cut < len(data) - len(needle):
        return None
    closing = b"".join(b"</" + name + b">" for name in reversed(names))
    view = memoryview(data)  # (joined from views: each part is copied once, not sliced and then copied again)
    return b"".join((view[:cut], closing)), b"".join((view[:head_end], view[cut:]))


def _in_halves(cut: tuple[bytes, bytes], container: tuple[str, ...], item: str,
               read: Reader[FeedEpisode]) -> Streamed | None:
    first, second = cut
    reader, writer = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(reader)
        os.close(writer)
        return None
    if pid == 0:  # the child: never returns to the caller
        _child(reader, writer, second, container, item, read)
    os.close(writer)
    reaped = False
    try:
        started = time.monotonic()
        try:
            root, box, names, items = stream_part(first, container, item, read)
        except ParseError:
            return None
        payload = _receive(reader, max(WAIT_S, WAIT_FACTOR * (time.monotonic() - started)))
        if payload is None:  # the child stalled: it is ended below, and the document read whole
            return None
        _, status = os.waitpid(pid, 0)
        reaped = True
        if status != 0 or box is None or not _cut_in_first(root, box, container, names):
            return None
        try:
            extra, rows = pickle.loads(payload)
        except Exception:  # noqa: BLE001 - a child that died mid-write: parse whole
            return None
    finally:
        if reader >= 0:
            os.close(reader)
        if not reaped:
            _end(pid)
    box.extend(extra)  # what the container holds after the cut (its items emptied)
    items.extend(episodes_from_rows(rows))
    return root, box, names, items


def _cut_in_first(root: Element, box: Element, container: tuple[str, ...], names: Names) -> bool:
    """Whether the cut fell inside the container whose items count (the first
    ``<channel>``), not in a later one: the elements open at the cut were closed last,
    so the chain from the root down to ``box`` must run through last children."""
    node = root
    for name in container[1:]:
        last = node[-1] if len(node) else None
        first = next((child for child in node if names(child.tag) == name), None)
        if last is None or last is not first:
            return False
        node = first
    return node is box


def _receive(fd: int, seconds: float) -> bytes | None:
    """Everything written to ``fd`` until its writer closes it; None past ``seconds``."""
    deadline = time.monotonic() + seconds
    chunks: list[bytes] = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            return None
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _child(reader: int, writer: int, second: bytes, container: tuple[str, ...], item: str,
           read: Reader[FeedEpisode]) -> NoReturn:
    status = 1
    try:
        os.close(reader)
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
        quiet = os.open(os.devnull, os.O_RDWR)  # the parent's terminal and pipes are not held open
        for fd in (0, 1, 2):
            os.dup2(quiet, fd)
        parent = os.getppid()

        def read_while_wanted(el: Element, names: Names) -> FeedEpisode | None:
            if os.getppid() != parent:  # the parent is gone (a Ctrl-C ended it): so is the work
                os._exit(1)
            return read(el, names)

        _root, box, names, items = stream_part(second, container, item, read_while_wanted)
        if box is not None:
            extra: list[Any] = [child for child in box if names(child.tag) != item]
            payload = pickle.dumps((extra, episodes_to_rows(items)), protocol=pickle.HIGHEST_PROTOCOL)
            view = memoryview(payload)
            while view:
                view = view[os.write(writer, view):]
            status = 0
    except BaseException:  # noqa: BLE001 - the parent parses whole when the child fails
        status = 1
    finally:
        os._exit(status)


def _end(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except OSError:
        pass
