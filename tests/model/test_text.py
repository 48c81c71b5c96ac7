from __future__ import annotations

from tracker.model.text import clean_block, clean_line, terminal_safe

ESC = "\x1b"


def test_a_title_loses_escape_sequences_and_bidi_overrides() -> None:
    title = f"Ep 1{ESC}]0;owned\x07 {ESC}[2J\u202eevil\u2066"
    cleaned = clean_line(title)
    assert ESC not in cleaned and "\x07" not in cleaned and "\u202e" not in cleaned
    assert cleaned == "Ep 1]0;owned [2Jevil"


def test_a_line_folds_tabs_and_breaks_into_single_spaces() -> None:
    assert clean_line("  A\tshow\r\nname  ") == "A show name"


def test_a_block_keeps_its_lines_and_tabs() -> None:
    assert clean_block("one\r\ntwo\rthree\tfour\x00\x9b") == "one\ntwo\nthree\tfour"


def test_output_spells_out_what_is_left() -> None:
    assert terminal_safe(f"a{ESC}[31mb\u202e") == "a\\x1b[31mb\\u202e"
    assert terminal_safe("a\tb\nc\x07", multiline=True) == "a\tb\nc\\x07"
    assert terminal_safe("plain: ünïcode, 日本語") == "plain: ünïcode, 日本語"
