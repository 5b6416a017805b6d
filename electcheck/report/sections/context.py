"""What the sections of one audit share: each source loaded once, each reconciliation run once,
the inputs and texts read, readable source names, and chart slugs kept unique."""

from __future__ import annotations

import hashlib
from typing import Any, Callable

from ... import limits as _limits
from ...errors import InputError
from .. import adapters, charts
from .base import compare_step, load_step
from .names import parties

Progress = Callable[[str], None]


class AuditContext:
    """The loading context of one ``run_audit``: sections ask it for tallies, reconciliations and texts.

    ``labels`` maps a source name to how sentences name it ('CNE bulletin 1 (29 July)'), from the
    labels of the config's ``[[compare]]`` tables ('X against Y'); the forensics section adds its own.
    """

    def __init__(self, cfg, seed: int, progress: Progress | None = None):
        self.cfg, self.seed = cfg, seed
        self.step: Progress = progress or (lambda _m: None)
        #: input path → record (name, path, sha256, rows, and the first source that read it)
        self.inputs: dict[str, dict[str, Any]] = {}
        #: the article texts checked, by the name the config gives them
        self.texts: dict[str, bytes] = {}
        self.labels: dict[str, str] = {}
        for spec in cfg.compare:
            who_off, who_ind = parties(spec)
            self.labels.setdefault(spec.official, who_off)
            self.labels.setdefault(spec.independent, who_ind)
        self.charts: list[charts.Chart] = []
        self._slugs: set[str] = set()
        self._tallies: dict[str, Any] = {}
        self._reports: dict[str, Any] = {}
        self._compared: dict[int, dict[str, Any]] = {}
        self._read: list[dict[str, Any]] = []   # inputs read by the section being built

    # --- sources ------------------------------------------------------------------------------
    def load(self, name: str):
        """The tally of source ``name``, ingested on first use (announced as a step)."""
        if name not in self._tallies:
            self.step(load_step(name).text)
            t, report = adapters.load_with_report(name, self.cfg.base_dir)
            self._tallies[name], self._reports[name] = t, report
            for i in adapters.inputs_of(t):
                self.inputs.setdefault(i["path"], {"source": name, **i})
        t = self._tallies[name]
        self._read += [self.inputs[i["path"]] for i in adapters.inputs_of(t)]
        return t

    def ingest_report(self, name: str):
        """The IngestReport of source ``name`` (None for an already-ingested Parquet file)."""
        self.load(name)
        return self._reports[name]

    def reconcile(self, k: int) -> dict[str, Any]:
        """The reconciliation JSON of ``cfg.compare[k]`` (its three sources loaded first), run once."""
        spec = self.cfg.compare[k]
        off, ind = self.load(spec.official), self.load(spec.independent)
        reg = self.load(spec.registered_from) if spec.registered_from else None
        if k not in self._compared:
            self.step(compare_step(k, spec.official, spec.independent).text)
            self._compared[k] = adapters.compare(off, ind, reg, spec.level)
        return self._compared[k]

    def read_text(self, name: str) -> bytes:
        """An article named in the config: read (bounded), recorded as an input, kept for the report folder."""
        p = self.cfg.resolve_file(name)
        data = _limits.read_bytes(p, what="claims file")
        self.texts[name] = data
        self.inputs.setdefault(str(p), {"source": "claims", "name": name, "path": str(p),
                                        "sha256": hashlib.sha256(data).hexdigest(), "rows": None})
        self._read.append(self.inputs[str(p)])
        return data

    @staticmethod
    def decode_text(name: str, data: bytes) -> str:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as e:
            raise InputError("cannot be read as UTF-8 text", file=name,
                             row=data[: e.start].count(b"\n") + 1, hint="Save the file as UTF-8") from None

    # --- what the audit collects ----------------------------------------------------------------
    def begin_section(self) -> None:
        self._read = []

    def section_inputs(self) -> list[dict[str, Any]]:
        """The inputs read since :meth:`begin_section`, each once, in the order first read."""
        seen, out = set(), []
        for i in self._read:
            if i["path"] not in seen:
                seen.add(i["path"])
                out.append(i)
        return out

    def add_chart(self, c: charts.Chart) -> None:
        """Keep ``c``, renaming its slug ``slug-2``, ``slug-3`` … if an earlier chart has it."""
        k, base = 2, c.slug
        while c.slug in self._slugs:
            c.slug = f"{base}-{k}"
            k += 1
        self._slugs.add(c.slug)
        self.charts.append(c)
