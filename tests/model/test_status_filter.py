"""A status filter from the positions of the few episodes with a state (the TUI's f at
100k episodes) lists exactly what a look at every id lists, in the same order."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.model.query import of_status

STATUS = st.sampled_from(["new", "in_progress", "listened", None])


@settings(max_examples=300, deadline=None)
@given(st.permutations([f"e{i}" for i in range(30)]),
       st.dictionaries(st.sampled_from([f"e{i}" for i in range(40)]), STATUS, max_size=30),
       st.sampled_from(["new", "in_progress", "listened"]))
def test_from_positions_the_same_list_as_from_every_id(ids: list[str], raw: dict[str, str | None], status: str) -> None:
    # states of episodes no longer listed (e30..e39), states without a status, and "new" states
    states = {e: ({} if s is None else {"status": s}) for e, s in raw.items()}
    positions = {e: i for i, e in enumerate(ids)}
    assert of_status(ids, states, status, positions) == of_status(ids, states, status)
    assert of_status(ids, states, status) == [
        e for e in ids if (states.get(e) or {}).get("status", "new") == status]
