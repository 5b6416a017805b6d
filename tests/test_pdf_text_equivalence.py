"""The words, boxes and lines electcheck.sources.pdf_text reads from a real file, bit for bit.

The Finney County precinct summary (162 pages, 30,566 words) is read and
fingerprinted: every word's text and the float32 loose boxes PDFium gives for
its first and last characters, and every rebuilt line (page, number, y0, y1,
x0, cells, cell spans, floats by their exact hex). The digests were taken with
the code as it was before the speed work of issue 15 (the per-call ctypes
declaration, before/after measured in docs/pdf.md), so any change to how the
boxes are fetched or the lines built must give the very same result on all
162 pages. The words are also checked against a plain reference that asks
pypdfium2's own API for each character's loose box, one call at a time.
The digests hold for the PDFium build they were taken with (pypdfium2 5.15.2,
PDFium 159.0.8149.0): after a PDFium upgrade that moves boxes, check that the
reference test still passes, then take them again.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numpy as np
import pytest

from electcheck.sources import pdf_text
from electcheck.sources.pdf_text import Words, document_lines, extract_lines, page_words

FILE = "kansas-finney-2023-local/2023-11-07-General---Precinct-Summary---OFFICIAL.pdf"

#: taken with the code before the change (see the module docstring)
WORDS = 30566
LINES = 5607
WORDS_SHA256 = "d75edecd561e65fdbc0ec73180b98ff0dcfadecbd584cda0afccb1e35c88cd19"
LINES_SHA256 = "69de76c5db1aebff066771fa8d219ccefc8777c478a1c57f17d81557a2573259"


#: the pypdfium2 release the digests were taken with; another PDFium build may place boxes differently
DIGEST_BUILD = "5.15.2"


def _same_build():
    import pypdfium2

    have = getattr(pypdfium2, "PYPDFIUM_INFO", None) or getattr(pypdfium2, "V_PYPDFIUM2", "")
    if DIGEST_BUILD not in str(have):
        pytest.skip(f"digests taken with pypdfium2 {DIGEST_BUILD}; this is {have} "
                    "(test_words_equal_one_call_per_character_box still compares with the reference)")


@pytest.fixture(scope="module")
def finney() -> Path:
    path = Path(os.environ.get("ELECTCHECK_DATA_DIR", "")) / FILE
    if not path.is_file():
        pytest.skip(f"{FILE} not found under ELECTCHECK_DATA_DIR")
    return path


def _read_words(path: Path, fn=page_words) -> list[Words]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(path)
    try:
        out = []
        for i in range(len(doc)):
            page = doc[i]
            tp = page.get_textpage()
            try:
                out.append(fn(tp))
            finally:
                tp.close()
                page.close()
        return out
    finally:
        doc.close()


def words_digest(pages: list[Words]) -> str:
    h = hashlib.sha256()
    for w in pages:
        h.update(b"\x01" + "\x00".join(w.texts).encode("utf-8", "surrogatepass"))
        for a, dtype in ((w.first, np.float64), (w.longer, np.int64), (w.last, np.float64)):
            h.update(b"\x02" + np.ascontiguousarray(a, dtype=dtype).tobytes())
    return h.hexdigest()


def lines_digest(pages) -> str:
    h = hashlib.sha256()
    for lines in pages:
        h.update(b"\x01")
        for ln in lines:
            h.update(repr((ln.page, ln.number, ln.y0.hex(), ln.y1.hex(), ln.x0.hex(), ln.cells,
                           [(a.hex(), b.hex()) for a, b in ln.cell_x])).encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def _runs(text: str) -> list[tuple[int, int]]:
    """(first, last) index of each run of characters that are not white space, one character at a time:
    the plain reference the word finders are checked against."""
    runs, i = [], 0
    while i < len(text):
        if text[i].isspace():
            i += 1
            continue
        j = i
        while j + 1 < len(text) and not text[j + 1].isspace():
            j += 1
        runs.append((i, j))
        i = j + 1
    return runs


def _reference_page_words(tp) -> Words:
    """One pypdfium2 call per character box (its typed API): the plain way to the same words."""
    import pypdfium2 as pdfium

    text = tp.get_text_range()
    assert len(text) == tp.count_chars()
    texts, first, longer, last = [], [], [], []
    for i, j in _runs(text):
        try:
            left, bottom, right, top = tp.get_charbox(i, loose=True)
        except pdfium.PdfiumError:  # PDFium has no box for a few characters: the word is left out
            left = None
        if left is not None:
            if j > i:
                try:
                    l2, b2, r2, t2 = tp.get_charbox(j, loose=True)
                except pdfium.PdfiumError:
                    l2 = b2 = r2 = t2 = 0.0
                longer.append(len(texts))
                last.append((l2, t2, r2, b2))
            texts.append(text[i:j + 1])
            first.append((left, top, right, bottom))
    return Words(texts, np.array(first, dtype=np.float32).astype(np.float64).reshape(-1, 4),
                 np.array(longer, dtype=np.int64),
                 np.array(last, dtype=np.float32).astype(np.float64).reshape(-1, 4))


def test_words_of_the_real_file_are_unchanged(finney):
    _same_build()
    pages = _read_words(finney)
    assert sum(map(len, pages)) == WORDS
    assert words_digest(pages) == WORDS_SHA256


def test_words_equal_one_call_per_character_box(finney):
    fast, slow = _read_words(finney), _read_words(finney, _reference_page_words)
    assert len(fast) == len(slow) == 162
    for n, (a, b) in enumerate(zip(fast, slow), start=1):
        assert a.texts == b.texts, n
        for x, y in ((a.first, b.first), (a.longer, b.longer), (a.last, b.last)):
            assert x.shape == y.shape and x.tobytes() == y.tobytes(), n


def test_lines_of_the_real_file_are_unchanged(finney):
    _same_build()
    got = extract_lines(finney)
    assert len(got.pages) == 162
    assert sum(map(len, got.pages)) == LINES
    assert lines_digest(got.pages) == LINES_SHA256
    # the lines do not depend on reading all pages at once or one by one
    pages = _read_words(finney)
    assert lines_digest(document_lines(pages)) == LINES_SHA256
    assert lines_digest([pdf_text.page_lines(w, n) for n, w in enumerate(pages, start=1)]) == LINES_SHA256


@pytest.mark.parametrize("seed", range(20))
def test_word_spans_follow_str_split(seed):
    """Both ways of finding the words (one byte a character, or UTF-32 when a character is above U+00FF)
    give the runs of characters that ``str.split()`` keeps, with its idea of white space."""
    import random

    rng = random.Random(seed)
    alphabet = ["a", "7", ".", "é", "©", "\xff", " ", "\t", "\n", "\x1c", "\x1f", "\x85", "\xa0"]
    if seed % 2:
        alphabet += ["\u2003", "\u3000", "\u2028", "中", "\u0100", "\ud800"]
    for _ in range(50):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 40)))
        starts, lasts = pdf_text._word_spans(text)
        runs = _runs(text)
        assert list(zip(starts.tolist(), lasts.tolist())) == runs, repr(text)
        assert [text[a:b + 1] for a, b in runs] == text.split()
