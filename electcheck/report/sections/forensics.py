"""Forensic tests: the calibrated battery on one per-unit tally, what it shows and what it cannot see.

Charts: ``fingerprint``, ``integer-percent``, and the national ``last-digit`` (two
candidates at most) and ``second-digit`` (one) frequencies of the tests that ran.
"""

from __future__ import annotations

from .. import adapters, charts
from .base import Planned, Section, load_step
from .names import short_names, source_label

SLUG = "forensics"
NEEDS = "a [forensics] source"

HARD = {"VOTES_GT_REGISTERED": "more votes than registered electors", "TURNOUT_100": "100 % turnout",
        "ONE_CANDIDATE_100": "every vote for one candidate", "SUM_CANDIDATES": "candidate votes that do not add up "
        "to the valid votes", "SUM_BALLOTS": "valid and invalid votes that do not add up to the ballots",
        "NEGATIVE": "a negative count"}
TEST_WORDS = {"integer-percent": "whole-percentage turnout or share", "second-digit": "second digits",
              "last-digit": "last digits", "zero-five": "counts ending in 0 or 5",
              "fingerprint": "turnout rising with the leader's share", "distribution-shape": "distribution shape"}


def wanted(cfg) -> bool:
    return bool(cfg.forensics_source)


def plan(cfg):
    return [load_step(cfg.forensics_source), Planned(f"forensics {cfg.forensics_source}")]


def build(ctx) -> Section:
    cfg, seed = ctx.cfg, ctx.seed
    name = cfg.forensics_source
    sec = Section(SLUG)
    try:
        t = ctx.load(name)
        ctx.step(f"forensics {name}")
        fx = adapters.forensics(t, cfg.tests, seed=seed, resamples=cfg.resamples,
                                calibration_sims=cfg.calibration_sims)
    except adapters.Unavailable as e:
        sec.data = {"available": False, "source": name, "reason": str(e)}
        return sec
    short = short_names(t)
    label = ctx.labels.setdefault(name, cfg.forensics_label or name)
    sec.data = {"available": True, "source": name, "label": label, "resamples": cfg.resamples, "tests": fx.tests,
                "family": fx.family, "family_text": family_text(fx.family),
                "calibration": fx.calibration, "cannot_see": fx.cannot_see,
                "stations_listed": fx.flags_count, "units": fx.units, "notes": fx.notes,
                "subject_names": {**short, **{f"turnout|{k}": f"turnout and {v}'s share"
                                              for k, v in short.items()}}}
    sec.headlines.append({"kind": "forensics", "source": name,
                          "text": summary(fx.tests, fx.family, short, label, fx.units.get("usable"))})
    src = f"{source_label(t)}; {cfg.resamples} resamples, seed {seed}. Computed by electcheck."
    byslug: dict[str, list[dict]] = {}
    for x in fx.tests:
        byslug.setdefault(x["test"], []).append(x)
    leader = short.get(fx.leader, fx.leader)
    if "fingerprint" in byslug:
        fp = byslug["fingerprint"][0]
        sec.charts.append(charts.fingerprint(fx.turnout, fx.share, leader, src, fp.get("statistic")))
    if "integer-percent" in byslug:
        sec.charts.append(charts.integer_percent(
            fx.turnout, fx.registered, fx.share, fx.share_den, fx.included, seed=seed,
            resamples=cfg.resamples, result=byslug["integer-percent"][0], leader=leader,
            family_size=fx.family.get("size"), source=src))
    for which, slug, most in (("last", "last-digit", 2), ("second", "second-digit", 1)):
        rows = [x for x in byslug.get(slug, []) if x.get("scope") == "national"
                and (x.get("details") or {}).get("observed_freq")]
        for r in rows[:most]:
            cid = r["subject"]
            sec.charts.append(charts.digits(r, short.get(cid, cid), which, src, slug_id=cid))
    return sec


def family_text(family: dict) -> str:
    """The multiple-testing family as the forensics report states it, in one sentence."""
    if not family:
        return ""
    by = family.get("by_test") or {}
    exc = family.get("excluded") or {}
    scopes = family.get("scopes")
    s = (f"{family.get('method', 'Benjamini–Hochberg')} across a family of {family.get('size', 0)} p-values"
         + (f" ({', '.join(f'{k} {v}' for k, v in by.items())})" if by else ""))
    if scopes == 1:
        s += ", national scope only"
    elif scopes:
        s += f", {scopes} scopes (national and each region)"
    words = {"not_applicable": "result(s) of tests that do not apply", "no_p_value": "count(s) without a p-value",
             "anti_conservative": "withheld p-value(s) of anti-conservative tests"}
    ex = [f"{v} {words.get(k, k.replace('_', ' '))}" for k, v in exc.items() if v]
    if ex:
        s += f"; not in the family: {', '.join(ex)}"
    return s + "."


def _pq(v: float | None, name: str = "") -> str:
    """'q = 0.023', 'q < 0.001' (with ``name``), or the bare value."""
    if v is None:
        return f"{name} = –" if name else "–"
    if v < 0.001:
        return f"{name} < 0.001" if name else "< 0.001"
    return f"{name} = {v:.2g}" if name else f"{v:.2g}"


def summary(tests: list[dict], family: dict, names: dict[str, str], who: str, usable: int | None = None) -> str:
    """The forensics headline: what is significant after the correction, what only before it, hard checks,
    withheld and inapplicable results, and what a clean result does not prove."""
    def subj(t):
        x = str(t.get("subject", ""))
        return names.get(x.split("|")[-1], x.split("|")[-1])

    app = [t for t in tests if t.get("applicable") and t.get("p_value") is not None]
    sig = [t for t in app if t.get("q_value") is not None and t["q_value"] <= 0.05]
    lead = [t for t in app if t not in sig and t["p_value"] <= 0.05]
    na = [t for t in tests if not t.get("applicable")]
    n = family.get("size", len(app))
    by = family.get("by_test") or {}
    s = (f"On {who}{f', {usable:,} units' if usable else ''}: "
         f"{family.get('method', 'Benjamini–Hochberg')} correction over a family of {n} p-values"
         + (f" ({', '.join(f'{k} {v}' for k, v in by.items())}"
            + ("; national scope only" if family.get("scopes") == 1 else
               f"; {family['scopes']} scopes" if family.get("scopes") else "") + ")" if by else "") + ". ")
    if sig:
        s += ("Significant after the correction (q ≤ 0.05): " + "; ".join(
            f"{TEST_WORDS.get(t['test'], t['test'])} ({subj(t)}, {_pq(t['q_value'], 'q')})" for t in sig)
            + ". Each is a lead to investigate, not proof of fraud. ")
    else:
        s += "None is significant after the correction (q ≤ 0.05). "
    ip = next((t for t in tests if t.get("test") == "integer-percent" and t.get("excess") is not None), None)
    if ip and ip.get("sd") and ip.get("p_value") is not None:
        R = int((ip.get("details") or {}).get("resamples") or 0)
        at_floor = R > 0 and ip["p_value"] <= 1.0 / (R + 1) + 1e-9
        z = ip["excess"] / ip["sd"]
        s += (f"Units at a whole-percentage turnout or {subj(ip)} share: {ip['excess']:+,.0f} beyond the Monte "
              f"Carlo expectation ({z:.1f} standard deviations; {_pq(ip['p_value'], 'p')}, "
              f"{_pq(ip['q_value'], 'q')})")
        if at_floor and ip in lead:
            s += (f" — p is the smallest {R} resamples can give, so the correction, not the data, keeps it "
                  "above 0.05; run with more resamples before reading it either way. ")
        elif ip in lead:
            s += (" — on its own it would stand out, but not once all the tests are counted: a lead at most, "
                  "not evidence. ")
        else:
            s += ". "
    other = [t for t in lead if t is not ip]
    if other:
        s += ("Below 0.05 before the correction only: " + ", ".join(
            f"{TEST_WORDS.get(t['test'], t['test'])} ({subj(t)}, {_pq(t['p_value'], 'p')})" for t in other)
            + " — expected by chance among this many tests. ")
    hard = [t for t in tests if t.get("test") == "hard-checks" and t.get("statistic")]
    if hard:
        s += "Hard checks: " + "; ".join(f"{int(t['statistic']):,} units with "
                                         f"{HARD.get(t['subject'], t['subject'])}" for t in hard) + ". "
    elif any(t.get("test") == "hard-checks" for t in tests):
        s += "No unit fails a hard check (more votes than electors, 100 % turnout, sums that do not add up). "
    withheld = [t for t in tests if t.get("calibration") == "anti-conservative"]
    if withheld:
        s += (f"{len(withheld)} result(s) withheld: the test rejects too many clean simulated elections of "
              "this shape. ")
    if na:
        s += f"{len(na)} result(s) do not apply to these data. "
    s += ("These tests look for traces of some kinds of manipulation (round-number targets, invented digits, "
          "ballot stuffing that raises turnout with the leader's share); a clean result does not prove a clean "
          "count, and a flag is a lead to check, not proof of fraud.")
    return s
