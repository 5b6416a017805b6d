"""Check every number in a text against one or more tallies: ``check_text``.

The first tally is the reference (its standard basis decides ``supported``);
further tallies are other snapshots, used only as alternative bases.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ..model import Finding, Tally
from .attribution import Attribution, attribution, authority_for, clause, own_actor
from .evidence import evidence
from .explain import QUANTITY, UNVERIFIABLE_REASON, authority_note, explain, lang_of, readings_note
from .facts import QUANTITIES, Facts, Value
from .frame import Frame
from .hedges import find_hedge, find_hedge_after, interval, rounding_mode
from .numbers import Mention, Reading, extract
from .resolve import DEFAULT_SHARE, PAIR_BEFORE, PERCENT_PAIR_BEFORE, Resolution, bind_candidate, classify
from .discourse import PlaceTopic, SourceTopic, subject_carried
from .respectively import respectively_pairs
from .scope import every_region, level_noun, partial_basis, region_count, regions_subset, unit_scope
from .subjects import NameHit, Resolver
from .text import fold, sentences
from .verdicts import Decision, better, decide

#: a "sentence" longer than this is not prose and is skipped whole (hostile input stays fast)
MAX_SENTENCE = 5_000
_THAN = re.compile(r"\b(?:than|que|dari|do\s+que)\s+(?:mr\.?\s+|mr\s+)?$|\b(?:than|que|dari)\b")
#: a year as the time of what the sentence says ("em 2016", "in the 2012 election", "pada 2014"), not a
#: time limit ("hasta el 2024", "até 2024")
_DATED_BY = re.compile(r"\b(?:in|en|em|pada|tahun|de|del|of|no\s+ano\s+de)\s+(?:el\s+|la\s+|o\s+|the\s+)?$")
#: quantities a sentence can leave out when it repeats the one before ("En 2012, foram 45,6 milhões")
_ELLIPSIS_Q = {"votes", "share", "turnout", "ballots"}
#: a copula right before the number: "foram 45,6 milhões", "fue del 69,81 %", "was 65 %"
_COPULA_BEFORE = re.compile(r"\b(?:foram|foi|fue|fueron|was|were|era|eram|eran)\s+(?:de\s+|del\s+|of\s+)?"
                            r"(?:(?:el|la|o|a|um|uma|un|una)\s+)?$")


def _ellipsis(res: Resolution, m: Mention, before: str, last: tuple[str, str | None]) -> bool:
    """The number names no quantity of its own (nothing, or only the default reading of a percentage), a
    copula comes right before it, and the sentence before gave a quantity of the same kind of number."""
    if not _COPULA_BEFORE.search(before):
        return False
    bare = res.quantity == "none" or (res.quantity == "share" and res.why[:1] == [DEFAULT_SHARE])
    same_kind = (last[0] in ("share", "turnout")) == (m.unit == "percent")
    return bare and same_kind


#: "in the region", "en la república", "di provinsi tersebut": the place of the previous sentence
_REGION_ANAPHOR = re.compile(r"\b(?:in|en|na|no|di)\s+(?:the\s+|la\s+|el\s+|esa\s+|esta\s+|this\s+|that\s+)?"
                             r"(?:region|republic|region|republica|regiao|estado|state|province|provincia|wilayah|provinsi|"
                             r"daerah)\b(?:\s+(?:tersebut|itu|ini))?(?!\s+(?:of|de|da|do|del)\b)")
#: a line that is only a place name, perhaps numbered or followed by a colon ("1. Bali", "- Jawa Barat:")
_HEADING = re.compile(r"^\s*(?:\d{1,3}[.)]\s*|[-•*–]\s*)?[^\W\d][^\d\n.;!?]{0,60}?:?\s*$")
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n")
_PERCENT_Q = {"share", "margin_points", "turnout", "coverage"}
#: quantities summed over counting units (a partial set of tally sheets makes them a subset)
_RESULT_Q = {"votes", "share", "margin_votes", "margin_points", "ratio", "ballots", "valid", "invalid"}
#: quantities an exit poll or a quick count estimates (a source carried from an earlier sentence speaks for them)
_CARRIED_Q = {"votes", "share", "margin_votes", "margin_points", "ratio"}


@dataclass
class Claim:
    text: str
    start: int
    end: int
    sentence: str
    lang: str
    quantity: str
    subject: dict[str, Any]
    stated: dict[str, Any]
    interval: dict[str, Any] | None
    actual: float | None
    basis: str | None
    standard_basis: str | None
    verdict: str
    explanation: str
    evidence: dict[str, Any]
    alternatives: list[dict[str, Any]] = field(default_factory=list)
    why: list[str] = field(default_factory=list)
    frame: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"frame": self.frame, **self._fields()}

    def _fields(self) -> dict[str, Any]:
        return {
            "text": self.text, "start": self.start, "end": self.end, "quantity": self.quantity,
            "subject": self.subject, "stated": self.stated, "interval": self.interval, "actual": self.actual,
            "basis": self.basis, "verdict": self.verdict, "explanation": self.explanation,
            "evidence": self.evidence, "standard_basis": self.standard_basis, "alternatives": self.alternatives,
            "sentence": self.sentence, "lang": self.lang, "why": self.why,
        }


@dataclass
class Skipped:
    text: str
    start: int
    end: int
    reason: str  # date | time | year | too-long

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end, "reason": self.reason}


@dataclass
class CheckResult:
    claims: list[Claim]
    skipped: list[Skipped]
    sources: list[dict[str, Any]]
    findings: list[Finding] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        out = {v: 0 for v in ("supported", "misleading", "contradicted", "unverifiable")}
        for c in self.claims:
            out[c.verdict] += 1
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"sources": self.sources, "summary": self.counts(),
                "claims": [c.to_dict() for c in self.claims],
                "skipped": [s.to_dict() for s in self.skipped],
                "findings": [f.to_dict() for f in self.findings]}


class Checker:
    """Holds the tallies' totals so that many texts can be checked quickly."""

    def __init__(self, tallies: list[Tally] | Tally, loader=None):
        """``loader(name) -> Tally`` loads an authority's published figures from the registry when a
        figure is attributed to the authority and none of ``tallies`` is its own (default: ``ingest``)."""
        if isinstance(tallies, Tally):
            tallies = [tallies]
        if not tallies:
            raise ValueError("check needs at least one tally")
        self.tallies = tallies
        self.facts = [Facts(t) for t in tallies]
        self.resolver = Resolver(tallies[0])
        self.hierarchy = tuple(h for h in (tallies[0].meta.hierarchy or []) if h in tallies[0].data.columns)
        m = re.search(r"\b(19\d\d|20\d\d)\b", f"{tallies[0].meta.election} {tallies[0].meta.source}")
        self.election_year = m.group(1) if m else None
        ek = fold(tallies[0].meta.election or "")
        self.election_kind = ("presidential" if "president" in ek else
                              "legislative" if re.search(r"duma|legislat|parliament|congress|asamblea", ek) else None)
        self.authority = authority_for(tallies[0].meta.election, tallies[0].meta.source)
        self.loader = loader
        self._auth: list[Facts] | None = None

    def _authority_facts(self) -> tuple[list[Facts], str]:
        """The authority's own figures: (facts, how found). Empty when none can be had."""
        if self._auth is None:
            a = self.authority or {}
            own = [fx for fx in self.facts if fx.meta.source in a.get("published", ())
                   or (fx.meta.kind == "official" and not a.get("published"))]
            self._auth_how = "among the sources given"
            if not own and a.get("published"):
                load = self.loader
                if load is None:
                    from ..ingest import ingest

                    def load(name):
                        return ingest(name).tally
                try:
                    own = [Facts(load(n)) for n in a["published"]]
                    self._auth_how = "published bulletins in the registry"
                except Exception:  # noqa: BLE001 - a missing bulletin file means: check against the reference
                    own = []
            self._auth = own
        return self._auth, self._auth_how

    def check(self, text: str, lang: str | None = None) -> CheckResult:
        f = fold(text)
        claims: list[Claim] = []
        skipped: list[Skipped] = []
        last_hits: list = []
        last_frame: tuple[str, str | None] | None = None  # (quantity, candidate) of the last result before
        last_regions: list = []
        heading, heading_end = None, 0  # a region named alone on a line, and where its list has reached
        topic = PlaceTopic()  # the place the text is talking about, carried to sentences that name none
        source = SourceTopic()  # an exit poll or quick count named earlier, still speaking
        for sent in sentences(text):
            if sent.end - sent.start > MAX_SENTENCE:
                # not prose (a run of digits or punctuation): listed, never parsed
                skipped.append(Skipped(sent.text[:37] + "…", sent.start, sent.end, "too-long"))
                continue
            sl = lang or sent.lang
            ms = extract(sent.text, sl, base=sent.start, ftext=f[sent.start:sent.end])
            hits = self.resolver.candidates_in(sent.text, f[sent.start:sent.end], base=sent.start)
            if not hits and last_hits and subject_carried(sent.text.lower(), sl,
                                                          len({h.key for h in last_hits}) == 1):
                # "he had some 87 percent", "quando obteve 77%": the candidate named last in the previous sentence
                hits = [NameHit(last_hits[-1].key, sent.start - 1, sent.start - 1)]
            last_hits = hits if hits else []
            regions = self.resolver.regions_in(sent.text, base=sent.start)
            fs = f[sent.start:sent.end]
            if heading is not None and _BLANK_LINE.search(text, heading_end, sent.start):
                heading = None  # a paragraph break ends the heading's list
            if len(regions) == 1 and _HEADING.match(fs):
                # "1. Bali" alone on a line: the lines below it, up to a blank line, are about Bali
                heading, heading_end = regions[0], sent.end
            elif not regions and heading is not None:
                regions = [type(heading)(heading.key, sent.start, sent.start, False, True)]
                heading_end = sent.end
            if not regions and last_regions and _REGION_ANAPHOR.search(fs):
                # "The second place in the region went to Grudinin": the place named in the previous sentence
                r = last_regions[-1]
                regions = [type(r)(r.key, sent.start, sent.start, False, True)]
            # (the smallest reading: "2.809.393 juta" may be a stray scale word after a count written in full)
            counts = [min(r.value for r in x.readings) for x in ms if x.kind == "number" and x.unit == "count"
                      and x.readings]
            regions = topic.carry(regions, fs, sl, sent.start, any(x.kind == "number" for x in ms), counts,
                                  self._electorate, sent.text)
            elsewhere = topic.unknown if not regions else None
            last_regions = regions
            ms = sorted(ms + self._every_region(sent, fs), key=lambda x: x.start)
            _list_percent(ms, f)
            nums = [x for x in ms if x.kind == "number"]
            # "… 98 % in X, 97 % in Y": the sentence writes its places after their figures (its last figure
            # has one after it); "In X, … 92 %, in Y 91 %" writes them before
            places_follow = bool(nums) and any(
                r.locative and 0 <= r.start - nums[-1].end <= 30 and not re.search(r"\d", f[nums[-1].end:r.start])
                for r in regions)
            pairs = respectively_pairs(f, sent.start, sent.end, sl, ms, hits, regions)
            prev: dict[str, tuple[Resolution, Mention]] = {}
            bound: set[int] = set()
            pb = partial_basis(fs) if any(m.kind == "number" for m in ms) else None
            sent_atts: list[Attribution] = []
            sent_frame: tuple[str, str | None] | None = None
            # a sentence dated by a year ("Nas eleições anteriores, em 2016, …") is about the election of that
            # year, not the one the exit poll before it was taken at
            source.begin(fs, self.authority, pb is not None or any(
                x.kind == "year" and _DATED_BY.search(f[max(sent.start, x.start - 20):x.start]) for x in ms))
            for m in ms:
                if m.kind != "number":
                    skipped.append(Skipped(m.text, m.start, m.end, m.kind))
                    continue
                prev_res, prev_m = prev.get(m.unit, (None, None))
                lvl = (level_noun(f, m.end, sent.end, self.hierarchy)
                       if m.unit == "count" and not m.extra.get("every") else None)
                rc = (region_count(f, m.start, m.end, sent.start, sent.end, sl)
                      if m.unit == "count" and not m.extra.get("every") and not lvl else None)
                if lvl:
                    res = Resolution("units", why=[f"a count of units of the level '{lvl}'"])
                elif m.extra.get("every"):
                    res = Resolution("regions_won", why=["'in every state': all regions won"])
                elif rc:
                    res = Resolution(rc[0], why=[rc[1]])
                else:
                    res = classify(m, f, sent.start, sent.end, prev_res, prev_m, has_candidate=bool(hits))
                uscope = None
                if res.quantity in ("regions", "regions_won") and not (
                        m.readings and m.readings[0].value == self._region_total):
                    # (all the regions, "dari 34 provinsi", are the whole set even in a count still going)
                    part = regions_subset(fs, m.start - sent.start, m.end - sent.start, sl, self._region_total)
                    if part:
                        uscope = "subset"
                        res.why.append(part)
                if lvl:
                    uscope = f"level:{lvl}"
                elif res.quantity in ("units", "coverage"):
                    uscope, uwhy = unit_scope(f, m.start, m.end, sent.start, sent.end, sl, m.unit == "count")
                    if res.quantity == "coverage" and uscope not in ("all", "installed"):
                        res = Resolution("units", why=res.why + [f"a share of units: {uwhy}"])
                    elif res.quantity == "units":
                        res.why.append(uwhy)
                    if res.quantity == "coverage":
                        uscope = None
                    rel = (m.start - sent.start, m.end - sent.start)
                    if (res.quantity == "units" and pb is not None and not self._snapshot
                            and pb[0] <= rel[0] and rel[1] <= pb[1]):
                        # "sobre la base de 7737 actas", "berasal dari 320.000 TPS": the count of the part the
                        # results come from (the share of it stays a coverage claim, docs/claims.md)
                        uscope = "subset"
                        res.why.append(f"the part of the tally sheets the results come from ('{fs[pb[0]:pb[1]].strip()}')")
                att = attribution(fs, m.start - sent.start, m.end - sent.start, sl, self.authority)
                bres, bm = prev.get("count", (None, None))
                if (m.unit == "percent" and bres is not None and bres.quantity == "ballots"
                        and res.quantity == "share" and re.match(r"^\s*\(\s*$", f[bm.end:m.start])):
                    # "participaron 12.386.669 (59,97 %)": the percentage beside the votes cast is the turnout
                    res = Resolution("turnout", why=["in parentheses after the votes cast: the turnout"])
                tres, tm = prev.get("percent", (None, None))
                if (m.unit == "count" and tres is not None and tres.quantity == "turnout"
                        and re.match(r"^[^().;]{0,60}\(\s*$", f[tm.end:m.start])):
                    # "participó el 59,97 % del censo electoral (12.386.669)": the count behind the turnout
                    res = Resolution("ballots", why=["in parentheses after a turnout: the votes cast behind it"])
                if res.quantity in _RESULT_Q and pb is not None and not self._snapshot and \
                        self._in_clause(fs, pb, m.start - sent.start, m.end - sent.start, sl, self.authority):
                    # a bulletin is itself a partial count: its figures are not a subset of it
                    uscope = "subset"
                    res.why.append(f"results from part of the tally sheets ('{fs[pb[0]:pb[1]].strip()}')")
                dated = any(y.kind == "year" and (0 <= m.start - y.end <= 25 or 0 <= y.start - m.end <= 12)
                            for y in ms)  # "os níveis de 2018 de 67,5%": dated by its year, not the moment
                if res.quantity in ("turnout", "coverage") and not dated and self._at_time(ms, f, sent.start):
                    # "turnout exceeded 90 % as of 13:00", "82 % of TPS by 08.45": a moment of the day;
                    # only a snapshot of the count (a one-row bulletin) records coverage at a moment
                    if res.quantity == "turnout" or not self._snapshot:
                        uscope = "subset"
                        res.why.append("at a time of day: a moment the data does not record")
                if last_frame and not hits and _ellipsis(res, m, f[max(sent.start, m.start - 40):m.start], last_frame):
                    # "Em 2004, Putin conquistou 49,5 milhões de votos. Em 2012, foram 45,6 milhões.": the sentence
                    # repeats the one before with another time or place, and leaves its quantity and subject out
                    res = Resolution(last_frame[0], why=[f"the quantity of the sentence before ({last_frame[0]}), "
                                                         "left out"])
                    if last_frame[1]:
                        hits = [NameHit(last_frame[1], sent.start - 1, sent.start - 1)]
                if res.quantity in _ELLIPSIS_Q:  # (before another election or place takes the figure out)
                    keys = {h.key for h in hits}
                    sent_frame = (res.quantity, next(iter(keys)) if len(keys) == 1 else None)
                if elsewhere and res.quantity not in ("money", "other", "none"):
                    res = Resolution("other", why=[f"about {elsewhere}, a place below the regions of the data"])
                other_kind = self._other_kind(fs, m.start - sent.start, m.end - sent.start, sl)
                if other_kind and res.quantity not in ("money", "other", "none"):
                    res = Resolution("other", why=[f"about another election ({other_kind}), not the "
                                                   f"{self.election_kind} one in the data"])
                if any(n.kind == "number" and n.end <= m.start for n in ms if n is not m) and \
                        re.match(r"^\s*(?:%|percent|por\s+ciento|por\s+cento|persen)?\s*(?:de|of|in|en|em|da|do|del|"
                                 r"pada|tahun)\s+(?:(?:la\s+|a\s+|the\s+)?(?:eleccion|eleicao|election|pemilu)\s+"
                                 r"(?:de\s+|of\s+)?)?(?:19|20)\d\d\b", f[m.end:m.end + 40]):
                    m.extra["compared"] = True
                other_year = self._other_year(m, ms, f)
                paired = pairs.get(m.start)
                if paired and paired[0] == "year":  # "En 2004 y 2000, … 71,31% y 52,9%, respectivamente"
                    other_year = paired[1] if paired[1] != self.election_year else None
                if other_year and res.quantity not in ("money", "other", "none"):
                    res = Resolution("other", why=[f"about another election ({other_year}), not "
                                                   f"{self.election_year}"])
                if res.quantity in _CARRIED_Q and not other_year and not dated:
                    # what an exit poll or a quick count estimates: the candidates' results, this election's
                    carried = source.apply(att)
                    if carried is not att:
                        att = carried
                        res.why.append(f"the source named in an earlier sentence ('{att.cue}') is still speaking")
                sent_atts.append(att)
                claims.append(self._claim(text, f, sent, sl, m, res, hits, regions, bound, prev_res, att, uscope,
                                          pairs.get(m.start), places_follow))
                if res.quantity not in ("other", "none", "money"):
                    prev[m.unit] = (res, m)
            source.update(fs, sent_atts, self.authority)
            last_frame = sent_frame
        result = CheckResult(claims, skipped, [evidence(t) for t in self.tallies])
        return result

    @cached_property
    def _region_total(self) -> int | None:
        """How many top-level regions the reference tally has (None without a hierarchy)."""
        n = self.facts[0].regions()
        return int(n[0].value) if n else None

    def _electorate(self, region) -> float | None:
        """The most electors a region's figures can count (registered, else votes cast or valid)."""
        cache = self.__dict__.setdefault("_electorates", {})
        if region not in cache:
            t = self.facts[0].counts(region)
            vals = [v for v in (t.get(k) for k in ("registered", "registered_partial", "ballots", "valid")) if v]
            cache[region] = max(vals) if vals else None
        return cache[region]

    # --------------------------------------------------------------------
    def _every_region(self, sent, fs: str) -> list[Mention]:
        """'won in every state': a claim that the candidate won all N top-level regions (N from the data)."""
        spans = every_region(fs)
        if not spans:
            return []
        n = self.facts[0].regions()
        if not n:
            return []
        out = []
        for a, b in spans:
            mm = Mention(sent.start + a, sent.start + b, sent.text[a:b], (Reading(float(n[0].value), 1.0, "every"),))
            mm.extra["every"] = True
            out.append(mm)
        return out

    def _claim(self, text, f, sent, lang, m: Mention, res: Resolution, hits, regions, bound, prev_res,
               att: Attribution | None = None, uscope: str | None = None,
               paired: tuple[str, object] | None = None, places_follow: bool = True) -> Claim:
        """``paired``: the place, candidate or year a "respectively" list gives the number;
        ``places_follow``: the sentence writes its places after their figures."""
        att = att or Attribution()
        hedge, phrase = find_hedge(f[sent.start:m.start])
        if hedge == "none":
            hedge, phrase = find_hedge_after(f[m.end:sent.end])
        if hedge != "none" and m.extra.get("compared"):
            # "superó el 57 %, pero por debajo del 65 % de 2012": the other year's figure is compared with,
            # not hedged
            why_compared = f"'{phrase}' compares with another year's figure, not a hedge"
            hedge, phrase = "none", ""
        else:
            why_compared = ""
        if m.readings and m.readings[0].high is not None:
            hedge, phrase = "between", ""
        xl = lang_of(lang)  # the explanation's language: the sentence's (vocab/explain.toml), else English
        q = res.quantity
        cid = None
        why = list(res.why) + ([why_compared] if why_compared else [])
        if q in ("votes", "share", "margin_votes", "margin_points", "ratio", "regions_won") or uscope == "won_by":
            cid, rule = bind_candidate(m, hits, f, sent.start, sent.end, bound,
                                       q if q != "regions_won" else "votes")
            if paired and paired[0] == "candidate":
                cid, rule = paired[1], "paired in order by 'respectively'"
            if cid and cid.startswith("~"):
                res.opponent = cid[1:]
                cid = self.facts[0].opponent(cid[1:])
            if q == "votes" and cid is None and prev_res is not None and "pair" in " ".join(res.why):
                cid = self.facts[0].opponent(prev_res.candidate) if prev_res.candidate else None
                rule = "the other candidate of the pair"
            why.append(rule)
            if q == "ratio" and cid is not None and rule.startswith("nearest name after"):
                # "twice as many votes as Maduro": the named one is the comparison
                h = next(h for h in hits if h.key == cid and h.start >= m.end)
                # "enam kali lipat dibandingkan yang didapat Jokowi", "compared with what X got"
                if re.search(r"\b(as|than|que|de|a)\s+(?:\w++\s++){0,2}$|\b(?:dibandingkan|dibanding|daripada|ketimbang|"
                             r"compared\s+(?:with|to)|comparado\s+con|comparado\s+com)\s+(?:\w++\s++){0,3}$",
                             f[m.end:h.start]):
                    res.opponent = cid
                    cid = self.facts[0].opponent(cid)
                    why.append("the name after 'as'/'than' is the comparison; subject is the other leading candidate")
            if (cid is not None and rule == "nearest name before the number" and prev_res is not None
                    and prev_res.candidate == cid and (PAIR_BEFORE.search(f[max(sent.start, m.start - 30):m.start])
                                                       or PERCENT_PAIR_BEFORE.search(f[max(sent.start, m.start - 40):m.start]))):
                # "Maduro got 51.2 % against 44 %": the second figure of a pair is the other candidate's
                cid = self.facts[0].opponent(cid)
                why.append("second figure of a pair ('against …'): the other candidate")
            res.candidate = cid
            others = [h.key for h in hits if h.key != cid]
            if res.opponent is None:
                res.opponent = others[0] if others and q in ("margin_votes", "margin_points", "ratio", "share") else None
        if q in ("regions_won", "regions", "units"):
            res.opponent = None
        if q in ("votes",) and cid is None:
            q = "ballots"  # "10.26 million votes": all votes cast
            res.quantity = q
        if res.opponent is None and cid and q in ("margin_votes", "margin_points", "ratio", "share"):
            res.opponent = self.facts[0].opponent(cid)
        region = None
        carried = False  # the place was named in an earlier sentence
        national = re.search(r"\b(nationally|nationwide|national(?:ly)?\s+total|across\s+the\s+country|a\s+nivel\s+nacional|"
                             r"en\s+todo\s+el\s+pais|nacionalmente|in\s+total|en\s+total|di\s+seluruh\s+indonesia|seluruh\s+indonesia)\b",
                             f[m.end:min(sent.end, m.end + 40)])
        if regions and not national:
            before = [r for r in regions if r.end <= m.start]
            # "turnout of 98.3 percent in Ingushetia, 97 percent in Kabardino-Balkaria": a place introduced
            # right after the number ("… in X") is that number's, not the earlier one
            right_after = [r for r in regions if r.start >= m.end and r.locative and r.start - m.end <= 30
                           and not re.search(r"\d", f[m.end:r.start])
                           # "In Crimea, Putin got 92%, in Chechnya over 91%, and in Dagestan 90%": places written
                           # before their figures (the last figure has none after it) are not the previous one's
                           and places_follow]
            if right_after:
                before = right_after[:1]
            # "Lugansk (94,12 %), Jabarovsk (80,06 %)", "Moscow: 70 %": a list of places, each with its figure
            tagged = [r for r in regions if r.end <= m.start and re.match(r"^\s*[(:]\s*$", f[r.end:m.start])]
            if tagged:
                before, regions = tagged[-1:], tagged[-1:]
            # a place far after the number, merely mentioned ("… los habitantes de la península de
            # Crimea"), does not locate it
            later = [r for r in regions if r.start >= m.end and (r.locative or r.start - m.end <= 60)]
            # a municipality named as such wins over its state; a place introduced as the place
            # ("in Chechnya", "en el estado Miranda") over one merely mentioned ("… de Caracas")
            pool = before or later
            subs = [r for r in pool if isinstance(r.key, tuple)]
            loc = [r for r in pool if r.locative]
            pick = (subs[-1] if subs else (loc[-1] if loc and before else (before[-1] if before else
                                                                           (pool[0] if pool else None))))
            region = pick.key if pick is not None else None
            carried = pick is not None and pick.carried
            if paired and paired[0] == "region":
                region, carried = paired[1], False
                why.append("place paired in order by 'respectively'")
        if region is not None:
            why.append("region: " + (" / ".join(region) if isinstance(region, tuple) else region)
                       + (" (named in an earlier sentence)" if carried else ""))
        res.region = region
        percent = m.unit in ("percent", "points") or q in _PERCENT_Q
        if q == "invalid":
            percent = m.unit == "percent"
        if q in ("regions", "regions_won"):
            region = res.region = None
            percent = False
            if cid is not None and _THAN.search(f[max(sent.start, m.start - 200):m.start]):
                h = [h for h in hits if h.key == cid and h.end <= m.start]
                if h and _THAN.search(f[max(sent.start, h[-1].start - 12):h[-1].start]):
                    cid = self.facts[0].opponent(cid)  # "more votes than Prabowo in 21 provinces"
                    why.append("the name after 'than' is the comparison")
        region_name = " / ".join(region) if isinstance(region, tuple) else region
        subject = {"candidate": cid, "candidate_name": self._name(cid), "opponent": res.opponent,
                   "region": region_name}
        stated_unit = {"count": "votes" if q in ("votes", "ballots", "valid", "invalid", "margin_votes") else "count",
                       "percent": "percent", "points": "points", "money": m.currency or "money",
                       "ratio": "ratio"}[m.unit]
        if q == "margin_points" and m.unit == "percent":
            stated_unit = "points"
        # "the difference between A and B" has no sign; "A won by N" has one
        unsigned = bool(re.search(r"\b(entre|between|diferencia|difference|gap|brecha|diferenca|selisih|antara)\b", f[sent.start:sent.end]))
        facts_sets, auth_note = [self.facts], ""
        if att.kind == "authority":
            own, how = self._authority_facts()
            ref_is_own = self.facts[0] in own
            if own and not ref_is_own:
                facts_sets = [[fx] for fx in own]
                auth_note = authority_note("own", xl, att.who, how)
            elif not own:
                auth_note = authority_note("about", xl, att.who, source=self.tallies[0].meta.source)
        best = self._best(m, q, cid, region, res, percent, unsigned, facts_sets, att, uscope, hedge)
        if best[0].verdict == "unverifiable" and att.checkable and facts_sets != [self.facts] \
                and best[3] in ("no-data", ""):
            # the authority's own bulletins cannot determine it (the number of units of a one-row
            # bulletin): check against the reference, and say so
            best = self._best(m, q, cid, region, res, percent, unsigned, [self.facts], att, uscope, hedge)
            auth_note = authority_note("cannot", xl, att.who, source=self.tallies[0].meta.source)
        d, reading, iv, reason, used = best
        note = ""
        if len(m.readings) > 1:
            note = readings_note(xl, m.text, [r.value for r in m.readings], reading.how, reading.value)
        if d.verdict == "unverifiable":
            key = {"money": "money", "other": "other", "none": "none"}.get(q, reason or "no-data")
            if reason in ("not-a-count", "subset"):
                key = reason
            from .vocab import explain_words
            ew = explain_words(xl)
            what = ew.get(att.kind if att.kind in ("exit_poll", "estimate", "poll") else att.modality, "")
            r = UNVERIFIABLE_REASON[xl][key].format(why="; ".join(res.why), quantity=q, what=what)
            expl = explain("unverifiable", lang=xl, text=m.text, quantity=q, hedge=hedge, iv=iv, percent=percent,
                           standard=None, matched=None, alternatives=(), reason=r, reading_note=note)
        else:
            rounding = (rounding_mode(reading.value, reading.precision, d.matched.value)
                        if d.verdict == "supported" and hedge == "none" else None)
            expl = explain(d.verdict, lang=xl, text=m.text, quantity=q, hedge=hedge, iv=iv, percent=percent,
                           standard=d.standard, matched=d.matched, alternatives=d.alternatives,
                           rounding=rounding, reading_note=note, hedge_text=phrase,
                           subject=" ".join(x for x in (self._name(cid), f"({region_name})" if region else "") if x))
        level = None
        if region is not None:
            h = self.tallies[0].meta.hierarchy or []
            level = (h[1] if isinstance(region, tuple) and len(h) > 1 else (h[0] if h else None))
        frame = Frame(value=reading.value, precision=reading.precision, high=reading.high, hedge=hedge, quantity=q,
                      candidate=cid, region=region_name, level=level,
                      scope="region" if region else ("subset" if uscope and uscope not in ("all", "installed")
                                                     and not uscope.startswith("level:") else "nation"),
                      units=uscope, attribution=att)
        expl = expl + auth_note + " " + frame.read_as(xl, QUANTITY[xl].get(q, q), self._name(cid))
        ev = {}
        if d.standard is not None:
            src = d.matched.source if d.matched else d.standard.source
            ev = dict(next((e for e in self._evidence() if e["source"] == src),
                           next((evidence(fx.tally) for fx in used if fx.meta.source == src), {"source": src})))
            ev["formula"] = (d.matched or d.standard).formula
            ev["standard_formula"] = d.standard.formula
        return Claim(
            text=m.text, start=m.start, end=m.end, sentence=sent.text.strip(), lang=lang, quantity=q,
            subject=subject,
            stated={"value": reading.value, "unit": stated_unit, "hedge": hedge, "hedge_text": phrase,
                    "precision": reading.precision, "reading": reading.how or None,
                    **({"high": reading.high} if reading.high is not None else {})},
            interval=iv.to_dict() if d.verdict != "unverifiable" or q in QUANTITIES else None,
            actual=None if d.standard is None else round(d.standard.value, 6),
            basis=None if d.standard is None else (d.matched or d.standard).basis,
            standard_basis=None if d.standard is None else d.standard.basis,
            verdict=d.verdict, explanation=expl, evidence=ev,
            alternatives=[{"basis": a.basis, "value": round(a.value, 6), "source": a.source,
                           "formula": a.formula, "in_interval": iv.contains(a.value)} for a in d.alternatives],
            why=why, frame=frame.to_dict(),
        )

    def _best(self, m, q, cid, region, res, percent, unsigned, facts_sets, att, uscope, hedge):
        """(decision, reading, interval, reason, facts) of the most favourable reading over ``facts_sets``."""
        best: tuple | None = None
        for reading in m.readings:
            iv = interval(reading.value, reading.precision, hedge, reading.high)
            for fxs in facts_sets:
                if not att.checkable:
                    values, reason = [], "not-a-count"
                elif uscope == "subset":
                    values, reason = [], "subset"
                else:
                    values, reason = self._values(q, cid, region, res.opponent, percent, unsigned, fxs, uscope)
                d = decide(iv, values) if values else Decision("unverifiable", None, None)
                if best is None or better(d.verdict, best[0].verdict):
                    best = (d, reading, iv, reason, fxs)
        return best

    @property
    def _snapshot(self) -> bool:
        t = self.tallies[0]
        return t.meta.kind == "published" and len(t.data) == 1

    def _other_kind(self, fs: str, start: int, end: int, lang: str) -> str | None:
        """"PDIP won 19.3 per cent in the parliamentary election" checked against presidential data: the kind
        of election named in the number's clause, when it is not the data's."""
        if not self.election_kind:
            return None
        a, b = clause(fs, start, end, lang)
        found = {k for k, rx in _ELECTION_KIND.items() if rx.search(fs[a:b])}
        if len(found) == 1 and self.election_kind not in found:
            return found.pop()
        return None

    @staticmethod
    def _in_clause(fs: str, span: tuple[int, int], start: int, end: int, lang: str, authority=None) -> bool:
        """The span is in the number's clause, or in an earlier clause and the number's clause names no source
        of its own ("… según las cuales González obtuvo el 70 %, mientras que Maduro -indicó- el 30 %")."""
        a, b = clause(fs, start, end, lang)
        if a <= span[0] and span[1] <= b:
            return True
        return span[1] <= a and not own_actor(fs[a:b], authority)

    @staticmethod
    def _at_time(ms: list[Mention], f: str, sent_start: int) -> bool:
        """A time of day in the sentence introduced as a moment ("as of 13:00", "hasta las 14:00", "pukul 08.45"),
        or a moment named in words ("as of 1500 GMT", "three hours before polls closed", "a falta de tres horas
        para el cierre")."""
        sent = f[sent_start:max((y.end for y in ms), default=sent_start) + 120]
        if _MOMENT.search(sent):
            return True
        for y in ms:
            if y.kind == "time" and (y.text.lower().startswith(("pukul", "jam")) or re.search(
                    r"(?:^|\W)(?:as\s+of|by|at|until|a\s+las|hasta\s+las|para\s+las|as|ate\s+as|hingga|sampai|per)\s+$",
                    f[max(sent_start, y.start - 15):y.start])):
                return True
        return False

    def _other_year(self, m: Mention, ms: list[Mention], f: str) -> str | None:
        """The year nearest the number in its clause, when it is not the election's year."""
        if not self.election_year:
            return None
        best = None
        for y in ms:
            if y.kind not in ("year", "date"):
                continue
            yr = re.search(r"(19|20)\d\d", y.text)
            if not yr or re.search(r"\b(since|desde|until|hasta|till|from|born|nacid[oa]\s+en|ate|hingga|sampai|"
                                   r"a\s+partir\s+de)\s+(?:el\s+|the\s+|o\s+)?$",
                                   f[max(0, y.start - 20):y.start]):
                continue  # "in power since 2013" dates a state, not the figure
            between = f[y.end:m.start] if y.end <= m.start else f[m.end:y.start]
            lo, hi = (y.end, m.start) if y.end <= m.start else (m.end, y.start)
            if any(n is not m and n.kind == "number" and lo <= n.start and n.end <= hi for n in ms):
                continue  # "67%, acima dos 65% da eleição de 2012": the year is the other figure's
            near = (y.end <= m.start and len(between) <= 80 and not re.search(r"[;.]\s", between)) or \
                   (y.start >= m.end and len(between) <= 40)
            if near and not re.search(r"\b(while|mientras|but|pero|whereas|compared|frente|than|que)\b", between):
                # a year after a comma may open the next clause ("63,6%, dilanjut pada 2018 dia …"): it dates
                # the figure only when no year stands before it ("56 percent in the last Duma elections, in 2003")
                rank = (y.start >= m.end and bool(re.search(r"[,;]", between)), len(between))
                if best is None or rank < best[0]:
                    best = (rank, yr.group(0))
        if best and best[1] != self.election_year:
            return best[1]
        return None

    def _values(self, q, cid, region, opponent, percent, unsigned=False, facts=None, uscope=None
                ) -> tuple[list[Value], str]:
        facts = facts or self.facts
        if q not in QUANTITIES:
            return [], q
        if q in ("votes", "share", "regions_won") and cid is None:
            return [], "no-subject"
        if uscope == "won_by" and cid is None:
            return [], "no-subject"
        primary = facts[0].compute(q, cid, region, opponent, percent, scope=uscope or "all")
        if not primary:
            return [], "no-data"
        if unsigned and q in ("margin_votes", "margin_points"):
            primary = [Value(v.basis, abs(v.value), v.formula if v.value >= 0 else f"|{v.formula}|", v.source)
                       for v in primary]
        for fx in facts[1:]:
            other = fx.compute(q, cid, region, opponent, percent, scope=uscope or "all")
            if other:
                v = other[0]
                primary.append(Value(f"snapshot:{fx.meta.source}", v.value, v.formula, v.source))
        return primary, ""

    def _name(self, cid):
        if cid is None:
            return None
        try:
            return self.tallies[0].meta.candidate(cid).name
        except KeyError:
            return cid

    def _evidence(self):
        if not hasattr(self, "_ev"):
            self._ev = [evidence(t) for t in self.tallies]
        return self._ev


#: a moment of election day named in words
_MOMENT = re.compile(r"\b(?:as\s+of|by|at)\s+\d{3,4}\s*(?:gmt|utc|local\s+time|moscow\s+time|msk)\b|"
                     r"\b\w+\s+hours?\s+before\s+(?:the\s+)?(?:polls?|polling\s+stations?|voting)\s+(?:close|closed|closing|ended)\b|"
                     r"\ba\s+falta\s+de\s+\w+\s+horas?\b|\bhoras?\s+antes\s+del?\s+cierre\b|"
                     r"\bhoras?\s+antes\s+do\s+(?:fechamento|encerramento)\b|\bjam\s+sebelum\s+(?:tps\s+)?ditutup\b|"
                     # a figure of the count in progress: "turnout … stands at", "so far", "hasta el momento"
                     r"\bstands\s+at\b|\bso\s+far\b|\bhasta\s+(?:ahora|el\s+momento)\b|\bpor\s+ahora\b|"
                     r"\bate\s+(?:agora|o\s+momento)\b|\bsejauh\s+ini\b|\b(?:hingga|sampai)\s+saat\s+ini\b")
#: the kind of election a clause names
_ELECTION_KIND = {
    "legislative": re.compile(r"\b(?:parliamentary|legislative|legislativas?|legislativos?|parlamentares|parlamentarias|"
                              r"pileg|duma\s+elections?|elecciones\s+a\s+la\s+duma|pemilu\s+legislatif)\b"),
    # "vying for the presidency, parliamentary seats …": one poll for both; the clause names both kinds
    "presidential": re.compile(r"\b(?:presidential\s+(?:election|race|vote|poll)s?|elecciones\s+presidenciales|"
                               r"eleicoes\s+presidenciais|pilpres|pemilihan\s+presiden|(?:for|por|para|a)\s+(?:the\s+|la\s+|a\s+)?"
                               r"(?:presidency|presidencia)|calon\s+presiden|capres)\b"),
}
_LIST_GAP = re.compile(r"^[^\d;:()]{0,60}$")
#: from one listed percentage to the next bare decimal: a name, perhaps a party, and a list separator; or
#: a name with the figure in parentheses ("17,72 por ciento, por encima de Zhirinovski (9,35) y de Bogdanov (1,3)")
_LIST_AFTER = re.compile(r"^[^\d():.!?]{0,80}[,;]\s*(?:y|e|and|dan|serta)?\s*(?:(?:el|la|los|las|o|a|os|as|the)\s+)?$"
                         r"|^\s*(?:,|;|y|e|and|dan)\s*$|^\)?[^\d():.!?]{0,80}\($")


def _list_percent(ms: list[Mention], f: str) -> None:
    """"… with 7.89, Fair Russia with 7.54 and New People with 5.77 percent": bare decimals listed next to a
    percentage are percentages (the unit is written once for the list)."""
    nums = [m for m in ms if m.kind == "number"]
    for i, m in enumerate(nums):
        if m.unit != "count" or not m.readings or m.words:
            continue
        rs = [r for r in m.readings if r.precision < 1 and r.value <= 100]
        if rs and i > 0 and nums[i - 1].unit == "percent" and _LIST_AFTER.match(f[nums[i - 1].end:m.start]):
            # "4,19 por ciento para Jaritónov; 4,08 para Davankov; y 3,15 para Slutski": a decimal that goes
            # on a list whose first item carries the percent sign is a percentage too
            m.unit, m.readings = "percent", tuple(rs)
            continue
        if not rs and i > 0 and nums[i - 1].unit == "percent" and _LIST_GAP.match(f[nums[i - 1].end:m.start]):
            # an integer after a percentage of the list ("… un 49 por ciento, a Chávez un 44 y a X el 7 por
            # ciento"): written between two percentages, it is one too
            rs = [r for r in m.readings if r.value <= 100 and r.high is None]
        if not rs:
            continue
        for j in range(i + 1, len(nums)):  # the next percentage of the list, through other bare decimals
            n = nums[j]
            if not _LIST_GAP.match(f[nums[j - 1].end:n.start]):
                break
            if n.unit == "percent":
                m.unit, m.readings = "percent", tuple(rs)
                break
            if n.unit != "count" or not any(r.precision < 1 and r.value <= 100 for r in n.readings):
                break


def check_text(text: str, tallies: list[Tally] | Tally, lang: str | None = None, loader=None) -> CheckResult:
    """Check every number in ``text`` against ``tallies`` (the first is the reference)."""
    return Checker(tallies, loader).check(text, lang)
