"""report.html: one self-contained file (inline SVG, inline CSS, no script, no external resource).

Rendered with jinja2, autoescape on: every value from the data is escaped. The
only unescaped markup is the chart SVG that matplotlib wrote (text drawn as
paths, ids prefixed per chart so that inline SVGs do not collide) after
removing the XML prolog and anything that could run or fetch.
"""

from __future__ import annotations

import re
from typing import Any

import jinja2
from markupsafe import Markup

from .. import __version__ as VERSION

_ENV = jinja2.Environment(loader=jinja2.PackageLoader("electcheck", "report/templates"),
                          autoescape=True, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def _num(v: Any) -> str:
    if v is None:
        return "–"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, int):
        return f"{v:,}"
    if isinstance(v, float):
        if v.is_integer() and abs(v) >= 1000:
            return f"{int(v):,}"
        return f"{v:.4g}" if abs(v) < 1e-2 and v != 0 else f"{v:,.2f}"
    return str(v)


def _pval(v: Any) -> str:
    """p- and q-values: three significant figures ('0.0149', '0.134', '1')."""
    if v is None:
        return "–"
    return "< 0.001" if float(v) < 0.001 else f"{float(v):.3g}"


_ENV.filters["num"] = _num
_ENV.filters["pval"] = _pval


def inline_svg(svg: bytes, prefix: str, alt: str) -> Markup:
    s = svg.decode("utf-8")
    s = re.sub(r"<\?xml[^>]*\?>", "", s)
    s = re.sub(r"<!DOCTYPE[^>]*>", "", s, flags=re.S)
    s = re.sub(r"<metadata>.*?</metadata>", "", s, flags=re.S)
    # matplotlib writes each text as a comment (with "--" escaped); text itself is drawn as paths
    s = re.sub(r"<!--.*?-->", "", s, flags=re.S)
    if re.search(r"<script|<foreignObject|javascript:|\son[a-z]+\s*=", s, flags=re.I):
        raise ValueError("chart SVG contains active content")  # never expected from matplotlib
    s = re.sub(r'id="([^"]+)"', lambda m: f'id="{prefix}-{m.group(1)}"', s)
    s = re.sub(r'url\(#([^)]+)\)', lambda m: f"url(#{prefix}-{m.group(1)})", s)
    s = re.sub(r'xlink:href="#([^"]+)"', lambda m: f'xlink:href="#{prefix}-{m.group(1)}"', s)
    s = re.sub(r'href="#([^"]+)"', lambda m: f'href="#{prefix}-{m.group(1)}"' if not m.group(1).startswith(prefix)
               else m.group(0), s)
    # responsive: keep the viewBox, let CSS size it; label for assistive technology
    s = re.sub(r'<svg ([^>]*?)width="[^"]*" height="[^"]*"', r'<svg \1', s, count=1)
    esc = str(Markup.escape(alt))
    s = s.replace("<svg ", f'<svg role="img" aria-label="{esc}" ', 1)
    return Markup(s.strip())


def render_html(audit, files: dict[str, str]) -> str:
    d = audit.to_dict()
    charts = [{"c": c, "svg": inline_svg(c.svg, f"c{i}", c.alt)} for i, c in enumerate(audit.charts)]
    tpl = _ENV.get_template("report.html.j2")
    return tpl.render(d=d, charts=charts, version=VERSION, files=files, num=_num)
