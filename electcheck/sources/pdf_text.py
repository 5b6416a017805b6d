"""Positioned text of a PDF: words and their boxes from PDFium, rebuilt into lines of cells.

Text and word positions come from PDFium (pypdfium2). A page's boxes are
fetched in bulk: one call per word (two for a word of several characters)
through a C-level ``map``, written into one numpy array, so that no Python
object is made per call. Lines are rebuilt from the boxes with numpy (words
whose heights overlap by half form one line, ordered by x; words closer than
half the line's median height form one cell), so the columns of numbers
survive whatever order the PDF's content stream draws them in.
"""

from __future__ import annotations

import ctypes
import hashlib
import re
from dataclasses import dataclass, field
from functools import cache, cached_property
from itertools import repeat
from operator import add, itemgetter
from pathlib import Path

import numpy as np

from ..errors import InputError

#: Pages read at most unless the caller raises it (a 5,000-page file stops at once).
MAX_PAGES = 2000
#: Longest line kept, in characters: user patterns only ever see text this short.
MAX_LINE = 400
#: Largest PDF accepted, in bytes.
MAX_BYTES = 512 << 20


@dataclass
class Line:
    """One visual line of a page: its cells (words closer than a wide gap) in x order."""

    page: int          # 1-based
    number: int        # 1-based line number within the page, top to bottom
    y0: float
    y1: float
    x0: float
    cells: list[str]
    cell_x: list[tuple[float, float]]

    @cached_property
    def text(self) -> str:
        return " ".join(self.cells)

    @property
    def height(self) -> float:
        return max(self.y1 - self.y0, 1.0)


@dataclass
class PdfPages:
    """The file's lines, page by page, and what was learned opening it."""

    file: str
    sha256: str
    pages: list[list[Line]]
    page_heights: list[float]
    textless: list[int] = field(default_factory=list)   # pages with no text layer (1-based)
    ruled_hint: bool = False                            # the first page draws many lines


@dataclass
class Words:
    """A page's words: their text and PDFium's loose boxes of their first and last characters.

    A box is ``left, top, right, bottom`` (PDF points, y up); ``last`` holds the
    box of the last character of the words of several characters (``longer``).
    """

    texts: list[str]
    first: np.ndarray   # float64, shape (len(texts), 4)
    longer: np.ndarray  # int64: which words have several characters
    last: np.ndarray    # float64, shape (len(longer), 4)

    def __len__(self) -> int:
        return len(self.texts)


def open_pdf(path: str | Path, max_pages: int = MAX_PAGES):
    """The PDFium document, its SHA-256 and page count; an InputError for anything unusable."""
    import pypdfium2 as pdfium

    p = Path(path)
    if not p.is_file():
        raise InputError("file not found" if not p.exists() else "this is a folder, not a file", file=str(p))
    size = p.stat().st_size
    if size > MAX_BYTES:
        raise InputError(f"PDF larger than {MAX_BYTES >> 20} MB", file=str(p),
                         hint="Split it into smaller files (e.g. with qpdf --split-pages)")
    data = p.read_bytes()
    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise InputError("not a PDF file (it does not start with %PDF)", file=str(p),
                         hint="Check that this is the file you meant")
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        msg = str(e).lower()
        if "password" in msg or "security" in msg:
            raise InputError("the PDF is encrypted (password protected)", file=str(p),
                             hint="Open it with its password and save an unprotected copy "
                                  "(e.g. qpdf --decrypt IN OUT), then read the copy") from None
        if re.search(rb"/Count\s+0\b", data) and not re.search(rb"/Count\s+[1-9]", data):
            raise InputError("the PDF has no pages", file=str(p),
                             hint="Check that this is the file you meant") from None
        raise InputError(f"damaged PDF, PDFium cannot open it ({e})", file=str(p),
                         hint="Download the file again, or repair it (e.g. qpdf IN OUT) and read the copy") from None
    n = len(doc)
    if n == 0:
        doc.close()
        raise InputError("the PDF has no pages", file=str(p), hint="Check that this is the file you meant")
    if n > max_pages:
        doc.close()
        raise InputError(f"the PDF has {n:,} pages, more than the limit of {max_pages:,}", file=str(p),
                         hint="If this is really a results report, raise the limit: electcheck --max-pages N "
                              "(before the command), ELECTCHECK_MAX_PAGES=N, or max_pages in [pdf]")
    return doc, hashlib.sha256(data).hexdigest(), n


def default_max_pages() -> int:
    """The global page limit (``electcheck --max-pages``, ELECTCHECK_MAX_PAGES), else MAX_PAGES."""
    try:
        from .. import limits
    except ImportError:  # pragma: no cover - a build without the shared limits module
        return MAX_PAGES
    return getattr(limits.current(), "max_pages", MAX_PAGES)


def extract_lines(path: str | Path, max_pages: int | None = None) -> PdfPages:
    """Every page's lines rebuilt from positioned words (see :func:`page_lines`)."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    doc, sha, n = open_pdf(path, max_pages or default_max_pages())
    out = PdfPages(str(path), sha, [], [])
    pages: list[Words] = []
    try:
        for i in range(n):
            page = doc[i]
            try:
                out.page_heights.append(page.get_height())
                tp = page.get_textpage()
                try:
                    words = page_words(tp)
                finally:
                    tp.close()
                if not len(words) and _has_images(page, pdfium_c):
                    out.textless.append(i + 1)
                if i == 0:
                    out.ruled_hint = _count_paths(page, pdfium_c) >= 6
            finally:
                page.close()
            pages.append(words)
    except pdfium.PdfiumError as e:  # a damaged page: one line, not a traceback
        raise InputError(f"damaged PDF, a page cannot be read ({type(e).__name__}: {e})", file=str(path),
                         hint="Download the file again, or repair it (e.g. qpdf IN OUT)") from None
    finally:
        doc.close()
    out.pages = document_lines(pages)
    return out


# --- words ------------------------------------------------------------------------

_NO_WORDS = Words([], np.empty((0, 4)), np.empty(0, dtype=np.int64), np.empty((0, 4)))
#: which code points ``str.split()`` treats as white space (all are at most U+3000; the last entry,
#: U+3001, stands for every code point above)
_SPACE = np.array([chr(c).isspace() for c in range(0x3002)], dtype=bool)
_SOLID_LATIN1 = ~_SPACE[:256]


@cache
def _loose_char_box():
    """PDFium's ``FPDFText_GetLooseCharBox`` declared with plain addresses for its pointers.

    pypdfium2's own declaration converts a typed pointer on every call; with
    ``void*`` arguments the text page and the output slot are plain integers,
    which ``map`` passes straight through (a third less time per call). It is
    declared as a Python-API function (``PYFUNCTYPE``), which keeps the GIL
    across the call instead of releasing and taking it back each time: the
    function only reads the text page and writes 16 bytes (it never calls
    back into Python), and 48,000 calls of under a microsecond gain nothing
    from letting other threads run in between (a tenth less time per call).
    """
    import pypdfium2.raw as pdfium_c

    address = ctypes.cast(pdfium_c.FPDFText_GetLooseCharBox, ctypes.c_void_p).value
    return ctypes.PYFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p)(address)


def page_words(tp) -> Words:
    """Words and their character boxes: the page's text split on white space.

    PDFium gives the text once, and the loose box of each word's first and (for
    a longer word) last character, written as float32 straight into one numpy
    array. If the text does not line up with PDFium's character list (rare:
    characters outside UCS-2), the words come from PDFium's text rectangles
    instead (slower). :func:`word_boxes` turns the boxes into word boxes.
    """
    n = tp.count_chars()
    if n <= 0:
        return _NO_WORDS
    text = tp.get_text_range()
    if len(text) != n:
        return _rect_words(tp)
    texts = text.split()
    if not texts:
        return _NO_WORDS
    starts, lasts = _word_spans(text)
    if len(starts) != len(texts):  # never expected: the regex way, same definition of a word
        spans = [m.span() for m in re.finditer(r"\S+", text)]
        starts = np.array([s for s, _ in spans], dtype=np.int64)
        lasts = np.array([e - 1 for _, e in spans], dtype=np.int64)
    nw = len(texts)
    longer = np.flatnonzero(lasts != starts)
    chars = np.concatenate((starts, lasts[longer]))  # first characters, then the last ones of longer words
    m = len(chars)
    raw = np.zeros((m, 4), dtype=np.float32)
    base = raw.ctypes.data
    get, handle = _loose_char_box(), ctypes.cast(tp.raw, ctypes.c_void_p).value
    ok = np.fromiter(map(get, repeat(handle, m), chars.tolist(), range(base, base + 16 * m, 16)),
                     dtype=bool, count=m)[:nw]   # a last character without a box keeps zeros, as always
    boxes = raw.astype(np.float64)
    words = Words(texts, boxes[:nw], longer, boxes[nw:])
    return words if ok.all() else _keep(words, ok)


def _keep(words: Words, ok: np.ndarray) -> Words:
    """The words whose first character has a box (PDFium has none for a few characters)."""
    new_index = np.cumsum(ok) - 1
    kept = ok[words.longer]
    return Words([t for t, k in zip(words.texts, ok.tolist()) if k], words.first[ok], new_index[words.longer[kept]],
                 words.last[kept])


def word_boxes(w: Words) -> np.ndarray:
    """Columns x0, x1, y0, y1 of each word's box: from its first character's left to the larger of its
    last character's right and that left, over both characters' heights."""
    left, top, right, bottom = w.first.T
    x1, y0, y1 = right.copy(), bottom.copy(), top.copy()
    if len(w.longer):  # as Python's max/min pick them: the second only when strictly larger/smaller
        k, last = w.longer, w.last
        x0k = left[k]
        x1[k] = np.where(x0k > last[:, 2], x0k, last[:, 2])
        y0[k] = np.where(last[:, 3] < y0[k], last[:, 3], y0[k])
        y1[k] = np.where(last[:, 1] > y1[k], last[:, 1], y1[k])
    return np.stack([left, x1, y0, y1], axis=1)


def _word_spans(text: str) -> tuple[np.ndarray, np.ndarray]:
    """Index of the first and of the last character of every run of non-space characters."""
    try:  # nearly always: one byte a character, and a table of 256
        solid = _SOLID_LATIN1.take(np.frombuffer(text.encode("latin-1"), dtype=np.uint8))
    except UnicodeEncodeError:
        cp = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
        solid = ~_SPACE[np.minimum(cp, len(_SPACE) - 1)]
    padded = np.zeros(len(solid) + 2, dtype=bool)
    padded[1:-1] = solid
    edge = np.flatnonzero(padded[1:] != padded[:-1])  # starts and ends of runs alternate
    return edge[0::2], edge[1::2] - 1


def _rect_words(tp) -> Words:
    words = []
    for j in range(tp.count_rects()):
        left, bottom, right, top = tp.get_rect(j)
        for k, part in enumerate(tp.get_text_bounded(left, bottom, right, top).split()):
            words.append((part, left + k * 1e-3, right, bottom, top))
    if not words:
        return _NO_WORDS
    ltrb = np.array([(x0, y1, x1, y0) for _, x0, x1, y0, y1 in words], dtype=np.float64)
    return Words([w[0] for w in words], ltrb, np.empty(0, dtype=np.int64), np.empty((0, 4)))


def _has_images(page, pdfium_c) -> bool:
    return any(True for _ in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=2))


def _count_paths(page, pdfium_c) -> int:
    n = 0
    for _ in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_PATH,), max_depth=1):
        n += 1
        if n >= 50:
            break
    return n


# --- lines ------------------------------------------------------------------------

def page_lines(words: Words, page: int) -> list[Line]:
    """One page's lines (see :func:`document_lines`)."""
    return document_lines([words], first_page=page)[0]


def document_lines(pages: list[Words], first_page: int = 1) -> list[list[Line]]:
    """Cluster each page's words into lines (vertical overlap with the line so far), cells by gaps.

    Numbers printed a little above or below their label (as in Electionware's
    statistics rows) still overlap it by half a height, so they join its line;
    the two lines of a wrapped column header do not. Within a line, words are
    in x order, and a word starts a new cell when its left edge is more than
    half the line's median word height right of every word before it. All
    pages are done at once (numpy work per file, not per page).
    """
    counts = [len(w) for w in pages]
    n = sum(counts)
    if not n:
        return [[] for _ in pages]
    offsets = np.cumsum([0, *counts[:-1]])
    boxes = word_boxes(Words([], np.concatenate([w.first for w in pages]),
                             np.concatenate([w.longer + o for w, o in zip(pages, offsets)]),
                             np.concatenate([w.last for w in pages])))
    page = np.repeat(np.arange(len(pages)), counts)
    x0, x1, y0, y1 = boxes.T
    order = np.lexsort((-(y0 + y1), page))         # top down on each page; stable: ties keep PDF order
    line = _group_lines(y0[order].tolist(), y1[order].tolist(), np.cumsum(counts).tolist())
    by_x = np.lexsort((x0[order], line))            # stable: ties keep the top-down order
    idx, line = order[by_x], line[by_x]
    X0, X1, Y0, Y1 = x0[idx], x1[idx], y0[idx], y1[idx]
    first = np.flatnonzero(np.concatenate(([True], line[1:] != line[:-1])))  # where each line starts
    size = np.diff(first, append=n)
    height = Y1 - Y0
    median = height[np.lexsort((height, line))][first + size // 2]
    gap = np.where(size > 1, 0.5 * median, 0.0)
    reach = _running_max(X1, line)                 # right edge of everything so far on the line
    new_cell = np.ones(n, dtype=bool)
    new_cell[1:] = X0[1:] - reach[:-1] > gap[line[1:]]
    new_cell[first] = True
    cell_first = np.flatnonzero(new_cell)
    cell_last = np.append(cell_first[1:], n) - 1
    # words never hold white space: a tab between cells, a newline between lines
    sep = np.where(new_cell, "\t", " ").astype(object)
    sep[first] = "\n"
    sep[0] = ""
    flat = [t for w in pages for t in w.texts]
    in_order = itemgetter(*idx.tolist())(flat) if n > 1 else (flat[0],)
    texts = "".join(map(add, sep.tolist(), in_order)).split("\n")
    spans = list(zip(X0[cell_first].tolist(), reach[cell_last].tolist()))
    cell_end = np.add.accumulate(np.add.reduceat(new_cell.astype(np.int64), first)).tolist()
    cell_x = [spans[a:b] for a, b in zip([0, *cell_end[:-1]], cell_end)]
    cells = [t.split("\t") for t in texts]
    for k in np.flatnonzero(np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)) >= MAX_LINE).tolist():
        cells[k], cell_x[k] = _cap(cells[k], cell_x[k])  # cap: user patterns only ever see short text
    ys0, ys1 = np.minimum.reduceat(Y0, first).tolist(), np.maximum.reduceat(Y1, first).tolist()
    xs0 = X0[first].tolist()
    line_page = page[idx[first]]                   # ascending: the lines are in page order
    page_start = np.searchsorted(line_page, np.arange(len(pages) + 1))
    number = np.arange(1, len(first) + 1) - page_start[line_page]
    made = list(map(Line, (line_page + first_page).tolist(), number.tolist(), ys0, ys1, xs0, cells, cell_x))
    page_start = page_start.tolist()
    return [made[a:b] for a, b in zip(page_start, page_start[1:])]


def _group_lines(y0: list[float], y1: list[float], page_ends: list[int]) -> np.ndarray:
    """Line number (from 0) of each word, words taken top down page by page: a word joins the line
    so far when their heights overlap by half the smaller; the line's bottom grows with its words."""
    starts = []
    i = 0
    for end in page_ends:
        if i == end:
            continue
        starts.append(i)
        a0, a1 = y0[i], y1[i]
        for j in range(i + 1, end):
            b0, b1 = y0[j], y1[j]
            da, db = a1 - a0, b1 - b0
            if (a1 if a1 < b1 else b1) - (a0 if a0 > b0 else b0) >= 0.5 * (db if db < da else da):
                if b0 < a0:  # the line's span grows with its words (a label a little below its numbers)
                    a0 = b0
            else:
                starts.append(j)
                a0, a1 = b0, b1
        i = end
    line = np.zeros(len(y0), dtype=np.int64)
    line[starts] = 1
    return np.cumsum(line) - 1


def _running_max(values: np.ndarray, group: np.ndarray) -> np.ndarray:
    """The running maximum of ``values`` within each run of equal ``group`` (sorted).

    Words are in x order, so a word's right edge is nearly always the largest
    so far: each pass carries a larger value one word further, and a few passes
    settle it. A line where that would take long is done by ranks instead
    (values replaced by their ranks, lifted by the group so that one group's
    ranks all exceed the previous group's: one cumulative maximum then restarts
    at every group).
    """
    out = values.copy()
    same = group[1:] == group[:-1]
    for _ in range(8):
        carry = same & (out[:-1] > out[1:])
        if not carry.any():
            return out
        out[1:][carry] = out[:-1][carry]
    distinct, rank = np.unique(values, return_inverse=True)
    lift = group * len(distinct)
    return distinct[np.maximum.accumulate(rank.reshape(-1) + lift) - lift]


def _cap(texts: list[str], spans: list[tuple[float, float]]) -> tuple[list[str], list[tuple[float, float]]]:
    """The leading cells of a line that fit in MAX_LINE characters (at least part of the first)."""
    keep, total = 0, 0
    while keep < len(texts) and total + len(texts[keep]) + 1 <= MAX_LINE:
        total += len(texts[keep]) + 1
        keep += 1
    return texts[:keep] or [texts[0][:MAX_LINE]], spans[:keep] or spans[:1]
