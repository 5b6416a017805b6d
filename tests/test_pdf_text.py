"""Line rebuilding of electcheck.sources.pdf_text (numpy, all pages at once) against the word-by-word
algorithm it replaced (kept here as the reference): the same lines, cells and spans to the last bit,
on random pages with ties, overlapping words, one-word lines and lines over the length cap."""

from __future__ import annotations

import random

import numpy as np
import pytest

from electcheck.sources.pdf_text import MAX_LINE, Words, _keep, document_lines, page_lines, word_boxes


def _reference_lines(words: list[tuple], page: int) -> list[tuple]:
    """The original per-word algorithm (words as (text, x0, x1, y0, y1))."""
    if not words:
        return []
    words = sorted(words, key=lambda w: -(w[3] + w[4]))
    groups, group, a0, a1 = [], [], None, None
    for w in words:
        if a0 is not None:
            y0, y1 = w[3], w[4]
            if (a1 if a1 < y1 else y1) - (a0 if a0 > y0 else y0) >= 0.5 * min(a1 - a0, y1 - y0):
                group.append(w)
                if y0 < a0:
                    a0 = y0
                continue
        group = [w]
        groups.append(group)
        a0, a1 = w[3], w[4]
    out = []
    for number, g in enumerate(groups, start=1):
        if len(g) > 1:
            g.sort(key=lambda w: w[1])
            heights = sorted(w[4] - w[3] for w in g)
            gap = 0.5 * heights[len(heights) // 2]
        else:
            gap = 0.0
        texts, spans = [], []
        first = g[0]
        cur, cx0, cx1 = [first[0]], first[1], first[2]
        y0, y1 = first[3], first[4]
        for w in g[1:]:
            y0, y1 = min(y0, w[3]), max(y1, w[4])
            if w[1] - cx1 > gap:
                texts.append(" ".join(cur))
                spans.append((cx0, cx1))
                cur, cx0 = [w[0]], w[1]
            else:
                cur.append(w[0])
            cx1 = w[2] if w[2] > cx1 else cx1
        texts.append(" ".join(cur))
        spans.append((cx0, cx1))
        if sum(len(t) + 1 for t in texts) > MAX_LINE:
            keep, total = 0, 0
            while keep < len(texts) and total + len(texts[keep]) + 1 <= MAX_LINE:
                total += len(texts[keep]) + 1
                keep += 1
            texts, spans = texts[:keep] or [texts[0][:MAX_LINE]], spans[:keep] or spans[:1]
        out.append((page, number, y0, y1, first[1], texts, spans))
    return out


def _random_page(rnd: random.Random, n: int) -> list[tuple]:
    rows = [rnd.choice([700.0, 688.5, 676.0, 675.5, 660.25]) - 12 * rnd.randrange(40) for _ in range(n)]
    words = []
    for k, base in enumerate(rows):
        size = rnd.choice([8.0, 9.5, 10.0, 14.0])
        x0 = float(np.float32(rnd.choice([36.0, 72.0, 100.5]) + rnd.randrange(60) * 7.25))
        width = rnd.choice([2.5, 6.0, 30.0, 120.0, -1.0])  # -1: a right edge left of the left edge
        y0 = float(np.float32(base + rnd.choice([0.0, 0.0, 1.5, -2.0])))
        text = rnd.choice(["0", "1,705", "Tom", "Nguyen", "Write-In", "x" * rnd.choice([1, 150, 390])])
        words.append((f"{text}{k}" if rnd.random() < 0.5 else text, x0, float(np.float32(x0 + width)), y0,
                      float(np.float32(y0 + size))))
    return words


def _words(words: list[tuple]) -> Words:
    ltrb = np.array([(x0, y1, x1, y0) for _, x0, x1, y0, y1 in words], dtype=np.float64).reshape(-1, 4)
    return Words([w[0] for w in words], ltrb, np.empty(0, dtype=np.int64), np.empty((0, 4)))


def _as_tuples(lines) -> list[tuple]:
    return [(ln.page, ln.number, ln.y0, ln.y1, ln.x0, ln.cells, ln.cell_x) for ln in lines]


@pytest.mark.parametrize("seed", range(40))
def test_document_lines_equal_the_word_by_word_algorithm(seed):
    rnd = random.Random(seed)
    pages = [_random_page(rnd, rnd.choice([0, 1, 2, 30, 200])) for _ in range(rnd.randint(1, 4))]
    got = document_lines([_words(p) for p in pages], first_page=3)
    assert [_as_tuples(lines) for lines in got] == [_reference_lines(p, i + 3) for i, p in enumerate(pages)]


def test_one_page_and_no_words():
    words = [("Tom", 10.0, 30.0, 100.0, 110.0), ("Nguyen", 32.0, 60.0, 100.0, 110.0), ("1,705", 200.0, 230.0, 101.0, 111.0)]
    assert _as_tuples(page_lines(_words(words), 7)) == _reference_lines(words, 7)
    assert page_lines(_words([]), 1) == [] and document_lines([_words([]), _words([])]) == [[], []]


def test_word_boxes_take_both_characters():
    first = np.array([[10.0, 20.0, 14.0, 8.0], [30.0, 21.0, 33.0, 9.0]])  # left, top, right, bottom
    last = np.array([[40.0, 22.0, 45.0, 7.5]])
    boxes = word_boxes(Words(["a", "bcd"], first, np.array([1]), last))
    assert boxes.tolist() == [[10.0, 14.0, 8.0, 20.0], [30.0, 45.0, 7.5, 22.0]]


def test_words_without_a_box_are_left_out():
    first = np.arange(12, dtype=np.float64).reshape(3, 4)
    w = _keep(Words(["a", "bb", "cc"], first, np.array([1, 2]), np.array([[1.0] * 4, [2.0] * 4])),
              np.array([True, False, True]))
    assert w.texts == ["a", "cc"] and w.first.tolist() == [first[0].tolist(), first[2].tolist()]
    assert w.longer.tolist() == [1] and w.last.tolist() == [[2.0] * 4]


def test_a_long_word_covers_the_words_after_it():
    # the running right edge stays the first word's for 20 words: past the quick passes, done by ranks
    words = [("banner", 0.0, 1000.0, 100.0, 110.0)] + [(str(k), 10.0 * k, 10.0 * k + 5, 100.0, 110.0)
                                                          for k in range(1, 21)]
    words += [("next", 20.0, 30.0, 50.0, 60.0), ("x", 25.0, 26.0, 50.0, 60.0), ("far", 200.0, 210.0, 50.0, 60.0)]
    assert _as_tuples(page_lines(_words(words), 1)) == _reference_lines(words, 1)
