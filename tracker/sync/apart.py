"""An upload a stricter server refuses in part: sent again piece by piece.

A server that checks each action or URL (opodsync) refuses the whole request for one it
dislikes (HTTP 400), and the same request is refused on every later sync: nothing goes up
ever. Sent one piece at a time, the rest goes up and the refused pieces are known.
"""

from __future__ import annotations

from typing import Callable, Sequence, TypeVar

from .http import Refused

T = TypeVar("T")
R = TypeVar("R")


def send_apart(items: Sequence[T], send: Callable[[Sequence[T]], R]) -> tuple[list[R], dict[int, str]]:
    """``send(items)``; refused, each item alone. The answers of what was taken, and why
    each refused item was (by its index). A lone item refused is just that; several all
    refused alone are a server refusing everything: the first refusal is raised."""
    try:
        return [send(items)], {}
    except Refused as err:
        if len(items) == 1:
            return [], {0: err.status}
        whole = err
    answers: list[R] = []
    refused: dict[int, str] = {}
    for i, item in enumerate(items):
        try:
            answers.append(send([item]))
        except Refused as err:
            refused[i] = err.status
    if len(refused) == len(items):
        raise whole
    return answers, refused
