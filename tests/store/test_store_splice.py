"""A commit that only adds documents is spliced onto the file's old bytes: the file
must be byte for byte what encoding the whole merged data gives, in every case, and
whatever cannot be spliced (updates, deletes, a file changed by someone else, a failed
write) must still come out whole and right."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any, Iterator

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import store.encode
from store import FileSpec, Store, WriteFailed

from .faults import refuse_changes

SPECS = [FileSpec("cat", 1), FileSpec("notes", 1)]
Model = dict[str, dict[str, Any]]


def expected(name: str, tables: Model) -> bytes:
    """The file a full encode writes: the tables in the order they were made, then the stamp."""
    return orjson.dumps({**tables, "_meta": {"schema": {"version": 1, "file": name}}})


def on_disk(folder: Path, name: str) -> bytes:
    return (folder / f"{name}.json").read_bytes()


def commit(s: Store, changes: dict[str, dict[str, dict[str, Any]]]) -> None:
    """Put (or, for None, delete) documents: {file: {table: {key: doc}}}."""
    with s.transaction(*changes) as tx:
        for name, tables in changes.items():
            for table, docs in tables.items():
                for key, doc in docs.items():
                    if doc is None:
                        tx.delete(name, table, key)
                    else:
                        tx.put(name, table, key, doc)


@pytest.fixture
def encoded_tables(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[list[str]]]:
    """The keys of each dict the store encodes (a table, or the entries added to one):
    a splice encodes only what was added, a full encode every table whole."""
    seen: list[list[str]] = []
    real = orjson.dumps

    class Recording:
        @staticmethod
        def dumps(obj: Any) -> bytes:
            if isinstance(obj, dict):
                seen.append(list(obj))
            return real(obj)

    monkeypatch.setattr(store.encode, "orjson", Recording)
    yield seen


def largest(encoded: list[list[str]]) -> int:
    return max(len(keys) for keys in encoded)


def docs(prefix: str, n: int) -> dict[str, dict[str, Any]]:
    return {f"{prefix}{i:04d}": {"title": f"Episode {i}", "n": i, "tags": ["a", None, 1.5]} for i in range(n)}


# -- splices ---------------------------------------------------------------------------
def test_additions_are_spliced_and_byte_identical(tmp_path: Path, encoded_tables: list[list[str]]) -> None:
    s = Store(tmp_path, SPECS)
    first, second = docs("a", 200), docs("b", 3)
    commit(s, {"cat": {"episodes": first, "shows": {"s1": {"title": "One"}}}})
    encoded_tables.clear()
    commit(s, {"cat": {"episodes": second}})
    assert on_disk(tmp_path, "cat") == expected("cat", {"episodes": {**first, **second}, "shows": {"s1": {"title": "One"}}})
    assert largest(encoded_tables) == 3  # the 200 documents already written were not encoded again
    assert Store(tmp_path, SPECS).table("cat", "episodes") == {**first, **second}


def test_many_commits_of_additions_stay_byte_identical(tmp_path: Path) -> None:
    s = Store(tmp_path, SPECS)
    model: Model = {}
    for batch in range(6):
        added = {f"{batch}-{k}": {"k": k} for k in range(batch * 3 + 1)}
        commit(s, {"cat": {"episodes": added}, "notes": {"notes": {key: {"text": "x" * batch} for key in added}}})
        model.setdefault("episodes", {}).update(added)
        assert on_disk(tmp_path, "cat") == expected("cat", model)
        assert s.table("cat", "episodes") == model["episodes"]
    assert Store(tmp_path, SPECS).table("notes", "notes")["5-15"] == {"text": "xxxxx"}


def test_additions_into_an_empty_table(tmp_path: Path, encoded_tables: list[list[str]]) -> None:
    s = Store(tmp_path, SPECS)
    commit(s, {"cat": {"episodes": {"gone": {"v": 0}}, "shows": {"s": {"v": 1}}}})
    commit(s, {"cat": {"episodes": {"gone": None}}})  # the table stays, empty
    assert on_disk(tmp_path, "cat") == expected("cat", {"episodes": {}, "shows": {"s": {"v": 1}}})
    encoded_tables.clear()
    commit(s, {"cat": {"episodes": {"x": {"v": 2}, "y": {"v": 3}}}})
    assert on_disk(tmp_path, "cat") == expected("cat", {"episodes": {"x": {"v": 2}, "y": {"v": 3}}, "shows": {"s": {"v": 1}}})
    assert ["s"] not in encoded_tables and ["x", "y"] in encoded_tables  # shows reused, not encoded


def test_a_new_table_goes_before_the_stamp(tmp_path: Path) -> None:
    s = Store(tmp_path, SPECS)
    commit(s, {"cat": {"episodes": docs("a", 5)}})
    commit(s, {"cat": {"shows": {"s1": {"title": "One"}}, "episodes": docs("b", 2)}})
    assert on_disk(tmp_path, "cat") == expected(
        "cat", {"episodes": {**docs("a", 5), **docs("b", 2)}, "shows": {"s1": {"title": "One"}}}
    )


def test_non_ascii_and_escaped_text_is_spliced_byte_identical(tmp_path: Path) -> None:
    s = Store(tmp_path, SPECS)
    odd = {
        "café": {"title": "Ça va? 🎧", "n": "日本語"},
        'quote"back\\slash': {"t": "line\nbreak\ttab\x00nul\x1f"},
        "\u2028sep\u2029": {"t": "</script>"},
    }
    commit(s, {"cat": {"épisodes ✓": {"plain": {"v": 1}}}})
    commit(s, {"cat": {"épisodes ✓": odd}})
    commit(s, {"cat": {"épisodes ✓": {"ß": {"v": "straße"}}, "表": {"k": {"v": "🎙"}}}})
    assert on_disk(tmp_path, "cat") == expected(
        "cat", {"épisodes ✓": {"plain": {"v": 1}, **odd, "ß": {"v": "straße"}}, "表": {"k": {"v": "🎙"}}}
    )
    assert Store(tmp_path, SPECS).table("cat", "épisodes ✓")["café"]["title"] == "Ça va? 🎧"


def test_a_journalled_commit_of_several_files_is_spliced_too(tmp_path: Path, encoded_tables: list[list[str]]) -> None:
    s = Store(tmp_path, SPECS)
    commit(s, {"cat": {"episodes": docs("a", 50)}, "notes": {"notes": docs("a", 50)}})
    encoded_tables.clear()
    commit(s, {"cat": {"episodes": docs("b", 2)}, "notes": {"notes": docs("b", 2)}})
    for name, table in (("cat", "episodes"), ("notes", "notes")):
        assert on_disk(tmp_path, name) == expected(name, {table: {**docs("a", 50), **docs("b", 2)}})
    assert largest(encoded_tables) == 2


# -- what falls back to a full encode -------------------------------------------------
def test_an_update_with_additions_is_encoded_whole_and_right(tmp_path: Path) -> None:
    s = Store(tmp_path, SPECS)
    commit(s, {"cat": {"episodes": {"a": {"v": 1}, "b": {"v": 2}}}})
    commit(s, {"cat": {"episodes": {"c": {"v": 3}, "a": {"v": 9}}}})  # an add, then an update of an old key
    assert on_disk(tmp_path, "cat") == expected("cat", {"episodes": {"a": {"v": 9}, "b": {"v": 2}, "c": {"v": 3}}})
    commit(s, {"cat": {"episodes": {"d": {"v": 4}}}})  # and splices again afterwards
    assert on_disk(tmp_path, "cat") == expected(
        "cat", {"episodes": {"a": {"v": 9}, "b": {"v": 2}, "c": {"v": 3}, "d": {"v": 4}}}
    )


def test_a_delete_is_encoded_whole_and_right(tmp_path: Path) -> None:
    s = Store(tmp_path, SPECS)
    commit(s, {"cat": {"episodes": {"a": {"v": 1}, "b": {"v": 2}}, "shows": {"s": {"v": 0}}}})
    commit(s, {"cat": {"episodes": {"a": None, "c": {"v": 3}}}})
    assert on_disk(tmp_path, "cat") == expected("cat", {"episodes": {"b": {"v": 2}, "c": {"v": 3}}, "shows": {"s": {"v": 0}}})
    commit(s, {"cat": {"episodes": {"never there": None}}})  # deleting a missing key writes no null
    assert on_disk(tmp_path, "cat") == expected("cat", {"episodes": {"b": {"v": 2}, "c": {"v": 3}}, "shows": {"s": {"v": 0}}})


def rewrite_elsewhere(folder: Path, name: str, change: Any) -> None:
    """Another program replaces the file (a rename, like another tracker) with different bytes."""
    path = folder / f"{name}.json"
    data = json.loads(path.read_text())
    change(data)
    tmp = folder / "elsewhere.tmp"
    tmp.write_text(json.dumps(data, indent=1))
    os.replace(tmp, path)


def test_a_file_another_process_replaced_is_read_again_and_nothing_is_lost(tmp_path: Path) -> None:
    mine, theirs = Store(tmp_path, SPECS), Store(tmp_path, SPECS)
    commit(mine, {"cat": {"episodes": {"a": {"v": 1}}}})
    commit(theirs, {"cat": {"episodes": {"b": {"v": 2}}, "shows": {"s": {"v": 0}}}})
    commit(mine, {"cat": {"episodes": {"c": {"v": 3}}}})
    assert on_disk(tmp_path, "cat") == expected(
        "cat", {"episodes": {"a": {"v": 1}, "b": {"v": 2}, "c": {"v": 3}}, "shows": {"s": {"v": 0}}}
    )
    # a file laid out differently (indented, by some other program) is encoded afresh, not spliced
    rewrite_elsewhere(tmp_path, "cat", lambda data: data["episodes"].update({"d": {"v": 4}}))
    commit(mine, {"cat": {"episodes": {"e": {"v": 5}}}})
    assert on_disk(tmp_path, "cat") == expected(
        "cat",
        {"episodes": {"a": {"v": 1}, "b": {"v": 2}, "c": {"v": 3}, "d": {"v": 4}, "e": {"v": 5}}, "shows": {"s": {"v": 0}}},
    )


def test_a_file_replaced_with_a_table_where_the_old_one_ended_is_read_again(tmp_path: Path) -> None:
    s = Store(tmp_path, SPECS)
    commit(s, {"cat": {"episodes": {"a": {"v": 1}}}})
    # bytes where the old table's bounds still hold braces, though the table is longer now
    other = {"episodes": {"a": {"v": {}}, "b": 2}, "_meta": {"schema": {"version": 1, "file": "cat"}}}
    assert on_disk(tmp_path, "cat")[12:25] == b'{"a":{"v":1}}' and orjson.dumps(other)[12:25] == b'{"a":{"v":{}}'
    (tmp_path / "elsewhere.tmp").write_bytes(orjson.dumps(other))
    os.replace(tmp_path / "elsewhere.tmp", tmp_path / "cat.json")
    commit(s, {"cat": {"episodes": {"c": {"v": 3}}}})
    assert on_disk(tmp_path, "cat") == expected("cat", {"episodes": {"a": {"v": {}}, "b": 2, "c": {"v": 3}}})


def test_a_file_edited_in_place_is_not_spliced_onto(tmp_path: Path) -> None:
    s = Store(tmp_path, SPECS)
    commit(s, {"cat": {"episodes": {"a": {"v": 1}, "b": {"v": 2}}}})
    path = tmp_path / "cat.json"
    with open(path, "r+b") as handle:  # same size, same inode: only the times tell
        raw = handle.read()
        handle.seek(0)
        handle.write(raw.replace(b'{"v":2}', b'{"v":7}'))
    commit(s, {"cat": {"episodes": {"c": {"v": 3}}}})
    assert on_disk(tmp_path, "cat") == expected("cat", {"episodes": {"a": {"v": 1}, "b": {"v": 7}, "c": {"v": 3}}})


def test_a_commit_after_a_failed_write_is_right(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    s = Store(tmp_path, SPECS)
    commit(s, {"cat": {"episodes": {"a": {"v": 1}}}, "notes": {"notes": {"a": {"t": "x"}}}})
    for names in (("cat",), ("cat", "notes")):  # one file, and the journalled path
        refuse_changes(monkeypatch, tmp_path)
        with pytest.raises(WriteFailed):
            commit(s, {name: {"episodes" if name == "cat" else "notes": {"lost": {"v": 0}}} for name in names})
        monkeypatch.undo()
    commit(s, {"cat": {"episodes": {"b": {"v": 2}}}, "notes": {"notes": {"b": {"t": "y"}}}})
    assert on_disk(tmp_path, "cat") == expected("cat", {"episodes": {"a": {"v": 1}, "b": {"v": 2}}})
    assert on_disk(tmp_path, "notes") == expected("notes", {"notes": {"a": {"t": "x"}, "b": {"t": "y"}}})


def test_a_stamp_laid_out_otherwise_is_rewritten_then_spliced(tmp_path: Path) -> None:
    (tmp_path / "cat.json").write_bytes(orjson.dumps({"_meta": {"schema": {"file": "cat", "version": 1}}, "episodes": {"a": {"v": 1}}}))
    s = Store(tmp_path, SPECS)
    commit(s, {"cat": {"episodes": {"b": {"v": 2}}}})
    commit(s, {"cat": {"episodes": {"c": {"v": 3}}}})
    assert on_disk(tmp_path, "cat") == expected("cat", {"episodes": {"a": {"v": 1}, "b": {"v": 2}, "c": {"v": 3}}})


# -- any sequence of commits -------------------------------------------------------------
KEYS = st.sampled_from(["a", "b", "é", "🎧", 'q"', "k\n", "x" * 40])
DOC = st.one_of(st.none(), st.fixed_dictionaries({"v": st.one_of(st.integers(-(2**63), 2**63 - 1), st.text(max_size=8), st.floats(allow_nan=False, allow_infinity=False))}))
COMMIT = st.dictionaries(
    st.sampled_from(["cat", "notes"]),
    st.dictionaries(st.sampled_from(["episodes", "shows", "ünï"]), st.dictionaries(KEYS, DOC, min_size=1, max_size=4), min_size=1, max_size=2),
    min_size=1,
    max_size=2,
)


@settings(max_examples=40)
@given(st.lists(COMMIT, min_size=1, max_size=6))
def test_any_sequence_of_commits_writes_what_a_full_encode_would(commits: list[dict[str, Any]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        s = Store(folder, SPECS)
        models: dict[str, Model] = {"cat": {}, "notes": {}}
        for changes in commits:
            commit(s, changes)
            for name, tables in changes.items():
                for table, docs_ in tables.items():
                    model = models[name].setdefault(table, {})
                    for key, doc in docs_.items():
                        if doc is None:
                            model.pop(key, None)
                        else:
                            model[key] = doc
                assert on_disk(folder, name) == expected(name, models[name])
        fresh = Store(folder, SPECS)
        for name, tables in models.items():
            for table, content in tables.items():
                assert fresh.table(name, table) == content


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to see open files")
def test_the_file_last_written_stays_open_until_it_is_replaced_so_its_inode_cannot_pass_for_another(
        tmp_path: Path) -> None:
    """Splicing trusts the file's signature (inode, size, times). Kept open, the written
    file's inode cannot be freed and reused by another file (replaced twice within a
    clock tick, with the same size); once the file is replaced and read anew, or the
    store forgets it, it is let go: no descriptor piles up."""

    def held() -> list[str]:
        out = []
        for fd in os.listdir("/proc/self/fd"):
            try:
                target = os.readlink(f"/proc/self/fd/{fd}")
            except OSError:
                continue
            if target.startswith(str(tmp_path)) and target.endswith("cat.json"):
                out.append(target)
        return out

    s = Store(tmp_path, SPECS)
    commit(s, {"cat": {"t": {"a": {"n": 1}}}})
    commit(s, {"cat": {"t": {"b": {"n": 2}}}})
    assert len(held()) == 1
    other = Store(tmp_path, SPECS)
    commit(other, {"cat": {"t": {"c": {"n": 3}}}})  # another process replaces the file
    assert s.table("cat", "t") == {"a": {"n": 1}, "b": {"n": 2}, "c": {"n": 3}}  # read anew
    assert len(held()) == 1  # (the other store's own)
    commit(s, {"cat": {"t": {"d": {"n": 4}}}})
    assert on_disk(tmp_path, "cat") == expected("cat", {"t": {"a": {"n": 1}, "b": {"n": 2}, "c": {"n": 3},
                                                               "d": {"n": 4}}})
    s.forget("cat"), other.forget("cat")
    assert held() == []
