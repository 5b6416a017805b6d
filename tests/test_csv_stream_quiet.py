"""A ragged row cut inside a UTF-8 character: Arrow fails to decode it for the invalid-row handler and
reports that through ``sys.unraisablehook``; the reader keeps that off stderr and still accounts for the
row (the careful reader names it)."""

from __future__ import annotations

import sys

from electcheck.sources.readers import read_table


def test_row_cut_inside_a_character_is_accounted_for_quietly(tmp_path, monkeypatch):
    p = tmp_path / "cut.csv"
    p.write_bytes(b"a,b,c\n1,2,3\n\xe1")
    reported = []
    monkeypatch.setattr(sys, "unraisablehook", reported.append)
    t = read_table(p)
    assert reported == []
    assert sys.unraisablehook == reported.append  # put back after the read
    assert t.rows_read == 2
    assert len(t.cells) == 1 and len(t.quarantine) == 1
    assert t.quarantine[0].row == 3
