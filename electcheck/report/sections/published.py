"""Published figures: internal checks of one-row results (round percentages, sums that do not add up)."""

from __future__ import annotations

import numpy as np

from .. import adapters
from .base import Planned, Section, load_step
from .names import short_names

SLUG = "published"
NEEDS = "[published] sources"


def wanted(cfg) -> bool:
    return bool(cfg.published)


def plan(cfg):
    return [p for n in cfg.published for p in (load_step(n), Planned(f"integrity {n}"))]


def build(ctx) -> Section:
    sec = Section(SLUG, data=[])
    for name in ctx.cfg.published:
        label = ctx.labels.get(name, name)
        try:
            t = ctx.load(name)
            ctx.step(f"integrity {name}")
            f = adapters.integrity(t)
            sec.data.append({"source": name, "label": label, "available": True, "findings": f})
            for x in f:
                if x.get("code") == "round-percentages":
                    sec.headlines.append({"kind": "round", "source": name,
                                          "text": round_headline(x, label, short_names(t))})
        except adapters.Unavailable as e:
            sec.data.append({"source": name, "label": label, "available": False, "reason": str(e)})
    return sec


def round_headline(f: dict, who: str, names: dict[str, str]) -> str:
    ev = f.get("evidence") or {}
    per = ev.get("per_count") or []
    if not per or not ev.get("total"):
        return f"{who}: {f.get('message', '')}"
    dec = int(ev.get("decimals") or 1)
    per = sorted(per, key=lambda x: -x["votes"])
    bits = ", ".join(f"{names.get(x['candidate'], 'others' if x['candidate'] == 'OTHERS' else x['candidate'])} "
                     f"{x['votes']:,} = {x['percent']:.{dec}f} %" for x in per)
    p = ev.get("p_value")
    chance = (f" Counted votes would do that by chance less than once in "
              f"{10 ** int(np.floor(np.log10(1 / p))):,} times (p = {p:.1g})." if p else "")
    return (f"{who[:1].upper() + who[1:]}: every count is exactly the total ({ev['total']:,}) times a percentage "
            f"with {dec} decimal, rounded to the vote ({bits}).{chance} The figures look computed from "
            "percentages, not added up from tally sheets.")
