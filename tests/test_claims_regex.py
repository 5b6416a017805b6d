"""No regular expression of the claim checker can backtrack catastrophically on user text (issue 9).

A pattern is refused when a repeat that can run more than once (``*``, ``+``, ``{2,}``, ``{0,4}``) holds
another repeat of variable length that can backtrack (``(?:\\w+\\s+){0,4}``, ``(a+)*``): the shape behind
exponential or high-polynomial matching. Inner repeats written possessive (``\\w++``) cannot backtrack, and
fixed counts (``(?:,\\d{3})*``) are not variable, so both are allowed.

Every pattern is checked: the module-level ones, and every one compiled while checking sample sentences of
the four languages (patterns built from the vocabulary files and inline ``re.search`` calls included).
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import sys
from re import _constants as C
from re import _parser as P

import pytest

import electcheck.claims as claims_pkg
from electcheck.claims import check_text

sys.path.insert(0, str(__import__("pathlib").Path(__file__).parent / "claims"))
from synthetic import v2_like  # noqa: E402

_REPEATS = (C.MAX_REPEAT, C.MIN_REPEAT)


def _variable_repeat(sub) -> bool:
    """True if ``sub`` holds a repeat of variable length that can backtrack."""
    for op, av in sub:
        if op in _REPEATS:
            lo, hi, body = av
            if lo != hi or _variable_repeat(body):
                return True
        elif op == C.SUBPATTERN and _variable_repeat(av[-1]):
            return True
        elif op == C.BRANCH and any(_variable_repeat(b) for b in av[1]):
            return True
    return False


def nested_quantifier(pattern: str, flags: int = 0) -> bool:
    """True if ``pattern`` has a repeat (max > 1) around a backtracking variable-length repeat."""
    def walk(sub) -> bool:
        for op, av in sub:
            if op in _REPEATS:
                lo, hi, body = av
                if hi > 1 and _variable_repeat(body):
                    return True
                if walk(body):
                    return True
            elif op == C.SUBPATTERN:
                if walk(av[-1]):
                    return True
            elif op == C.BRANCH:
                if any(walk(b) for b in av[1]):
                    return True
            elif op in (C.ASSERT, C.ASSERT_NOT):
                if walk(av[1]):
                    return True
            elif op == C.ATOMIC_GROUP:
                if walk(av):
                    return True
            elif op == C.POSSESSIVE_REPEAT:
                if walk(av[2]):
                    return True
        return False
    return walk(P.parse(pattern, flags))


def test_the_detector():
    assert nested_quantifier(r"(?:\w+\s+){0,4}$")
    assert nested_quantifier(r"(a+)*b")
    assert nested_quantifier(r"(?:x|\s+y)+")
    assert not nested_quantifier(r"(?:\w++\s++){0,4}$")
    assert not nested_quantifier(r"\d{1,3}(?:,\d{3})*")
    assert not nested_quantifier(r"(?:\s+\w+)?")  # at most once: no blow-up
    assert nested_quantifier(r"(?>(?:\w+\s+){0,4})x")  # an atomic group still backtracks inside itself


def _claims_modules():
    for mod in pkgutil.iter_modules(claims_pkg.__path__):
        yield importlib.import_module(f"electcheck.claims.{mod.name}")


SAMPLES = [
    ("en", "González won 67% of the vote, more than two-to-one over Maduro, with 98 percent of tally sheets "
           "counted; turnout was 59.97 percent and 412 polling stations were not counted."),
    ("es", "Según el CNE, Maduro obtuvo el 51,2 % de los votos frente al 44,2 % de su adversario, con el 80 % "
           "de las actas escrutadas; el censo electoral comprende 21.392.464 electores."),
    ("pt", "Segundo o CNE, com 80% das urnas apuradas, o atual presidente teve 51,2% contra 44,2% do principal "
           "candidato da oposição, Edmundo González, que venceu em 20 estados."),
    ("id", "Menurut KPU, Jokowi meraih 55,5 persen suara di 514 kabupaten/kota, sedangkan DPT sebanyak "
           "192 juta orang dan 7.201 kecamatan; hingga pukul 08.45 WIB sudah 82,39% dari total TPS."),
]


def test_no_nested_quantifiers_in_claims_patterns(monkeypatch):
    offenders: set[str] = set()
    for mod in _claims_modules():
        for name, val in vars(mod).items():
            if isinstance(val, re.Pattern) and nested_quantifier(val.pattern, val.flags & ~re.UNICODE):
                offenders.add(f"{mod.__name__}.{name}: {val.pattern[:80]}")
            clear = getattr(val, "cache_clear", None)
            if clear is not None and getattr(val, "__module__", "").startswith("electcheck.claims"):
                clear()  # patterns built from the vocabulary are compiled again below, under watch
    orig = re._compile
    claims_dir = str(__import__("pathlib").Path(claims_pkg.__file__).parent)

    def spy(pattern, flags):
        if isinstance(pattern, str):
            frame = sys._getframe(1)
            while frame is not None and frame.f_code.co_filename.endswith(("re/__init__.py", "functools.py")):
                frame = frame.f_back
            if frame is not None and frame.f_code.co_filename.startswith(claims_dir):
                if nested_quantifier(pattern, flags & ~re.UNICODE if isinstance(flags, int) else 0):
                    offenders.add(f"{frame.f_code.co_filename.rsplit('/', 1)[-1]}:{frame.f_lineno}: "
                                  f"{pattern[:80]}")
        return orig(pattern, flags)

    re.purge()
    monkeypatch.setattr(re, "_compile", spy)
    t = v2_like()
    for lang, text in SAMPLES:
        check_text(text, t, lang)
        check_text(text, t)
    re.purge()
    assert not offenders, "\n".join(sorted(offenders))


@pytest.mark.parametrize("text", ["a " * 30_000 + "5%", ("de " * 5 + "votos ") * 5_000 + "51 %",
                                  "with " + "x, " * 20_000 + "80 % of the actas counted"])
def test_long_word_runs_stay_fast(text):
    import time
    t0 = time.perf_counter()
    check_text(text, v2_like(), "en")
    assert time.perf_counter() - t0 < 2.0


def _literal(node):
    """The string value of a constant expression ("a" "b", "a" + "b"), or None."""
    import ast
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        a, b = _literal(node.left), _literal(node.right)
        return a + b if a is not None and b is not None else None
    return None


def _pieces(node):
    """Every constant string part of an expression (for patterns glued with vocabulary alternations)."""
    import ast
    lit = _literal(node)
    if lit is not None:
        return [lit]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _pieces(node.left) + _pieces(node.right)
    return []


def test_no_nested_quantifiers_in_source_patterns():
    """Every constant pattern passed to ``re.*`` in ``electcheck/claims`` (each constant part of a glued one)."""
    import ast
    from pathlib import Path

    offenders = []
    for path in sorted(Path(claims_pkg.__file__).parent.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "re"
                    and node.func.attr in ("compile", "search", "match", "fullmatch", "finditer", "findall", "sub",
                                           "split", "subn") and node.args):
                whole = _literal(node.args[0])
                for piece in ([whole] if whole is not None else _pieces(node.args[0])):
                    try:
                        bad = nested_quantifier(piece)
                    except re.error:
                        continue  # a fragment of a glued pattern that is not a pattern by itself
                    if bad:
                        offenders.append(f"{path.name}:{node.lineno}: {piece[:90]}")
    assert not offenders, "\n".join(offenders)
