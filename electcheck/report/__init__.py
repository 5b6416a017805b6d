"""Reports: one audit config → HTML, Markdown, JSON, charts and a run manifest.

    from electcheck.report import run_audit, load_config, write_report
    audit = run_audit(load_config("audit.toml"), seed=1)   # data, nothing printed
    write_report(audit, "reports/x")                       # files + run.json

Modules: ``config`` (TOML audit config), ``adapters`` (the only place that
calls compare/claims/forensics), ``sections`` (one module per report section:
compare, actas, published, regions, claims, forensics), ``audit`` (runs the
selected sections → AuditResult),
``theme`` + ``charts`` (matplotlib house style, deterministic bytes),
``html``/``markdown`` (renderers), ``manifest`` (run.json and verify),
``safe`` (spreadsheet-safe CSV cells).
"""

from .audit import AuditResult, run_audit
from .config import AuditConfig, load_config, load_example, example_names
from .manifest import verify, write_report

__all__ = ["AuditResult", "run_audit", "AuditConfig", "load_config", "load_example", "example_names",
           "verify", "write_report"]
