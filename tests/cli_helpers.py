"""Run the console entry point as a user would, in-process (shared by CLI tests)."""

from __future__ import annotations

import sys


def run_cli(args: list[str], capsys) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of ``electcheck ARGS`` through ``electcheck.cli.main``."""
    from electcheck.cli import main

    old = sys.argv
    sys.argv = ["electcheck", *args]
    try:
        main()
        code = 0
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else 0
    finally:
        sys.argv = old
    out = capsys.readouterr()
    return code, out.out, out.err
