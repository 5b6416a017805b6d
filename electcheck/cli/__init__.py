"""Command line: one module per command group; each command is a short call into the library.

Only this package prints. Data goes to stdout, messages to stderr.
Exit codes: 0 ran; 1 ran and found something at or above --fail-on; 2 could not run
(bad input or usage, one line); 3 an unexpected error (a bug: one line, the traceback
with -v/--verbose or ELECTCHECK_DEBUG=1).
"""

from __future__ import annotations

import os
import sys
from typing import Optional

import typer

from .. import limits as _limits
from ..errors import ElectcheckError, InputError
from ..escape import terminal

app = typer.Typer(
    name="electcheck",
    help="Verify election results and check the numbers people publish about them.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _limit_option(name: str):
    var, flag, unit = _limits.SETTINGS[name]
    default = getattr(_limits.Limits, name)
    return typer.Option(None, flag, metavar="N" if unit == "count" else "SIZE",
                        help=f"Raise (or lower) the limit {name.replace('max_', '')} "
                             f"(default {_limits.human(name, default)}; env {var}).")


@app.callback()
def _global(
    max_bytes: Optional[str] = _limit_option("max_bytes"),
    max_line: Optional[str] = _limit_option("max_line"),
    max_columns: Optional[str] = _limit_option("max_columns"),
    max_rows: Optional[str] = _limit_option("max_rows"),
    max_cell: Optional[str] = _limit_option("max_cell"),
    max_name: Optional[str] = _limit_option("max_name"),
    max_pages: Optional[str] = _limit_option("max_pages"),
    verbose: bool = typer.Option(False, "--verbose", "-v",
                                 help="Show the traceback of an unexpected error (also ELECTCHECK_DEBUG=1)."),
) -> None:
    """Verify election results and check the numbers people publish about them.

    Every read is bounded; the --max-* options (before the command) raise a limit.
    """
    given = dict(max_bytes=max_bytes, max_line=max_line, max_columns=max_columns, max_rows=max_rows,
                 max_cell=max_cell, max_name=max_name, max_pages=max_pages)
    values = {k: _limits.parse_size(v, _limits.SETTINGS[k][2], _limits.SETTINGS[k][1])
              for k, v in given.items() if v is not None}
    import dataclasses

    _limits.set_current(dataclasses.replace(_limits.from_env(), **values))
    if verbose:
        os.environ["ELECTCHECK_DEBUG"] = "1"


def _debug() -> bool:
    if os.environ.get("ELECTCHECK_DEBUG", "").strip() not in ("", "0"):
        return True
    # "-v" after the command belongs to the command, but asks for detail all the same
    return any(a in ("-v", "--verbose") for a in sys.argv[1:])


_DEFAULT_UNRAISABLE = sys.unraisablehook


def _unraisable(u) -> None:
    if _debug():
        _DEFAULT_UNRAISABLE(u)


def _one_line(text: str) -> str:
    return " ".join(terminal(text).split())


def _register() -> None:
    # Each module adds its commands to ``app`` (or a sub-typer) on import.
    import importlib

    for mod in ("ingest", "inspect", "data", "compare", "check", "forensics", "audit", "batch"):
        try:
            importlib.import_module(f"{__name__}.{mod}")
        except ModuleNotFoundError as e:  # a command group not written yet
            if e.name != f"{__name__}.{mod}":
                raise


_register()


def main() -> None:
    """Console entry point: user errors are one line and exit 2; bugs one line and exit 3."""
    try:
        _main()
    finally:
        _limits.set_current(None)  # in-process callers (tests, notebooks) get the environment's limits back


def console_main() -> None:
    """The ``electcheck`` command: :func:`main`, then a hard exit when the run was refused (2) or hit
    a bug (3). A refusal can come while a reader thread is still inside a C extension (Arrow parsing
    ahead); finalising the interpreter around such a thread can abort the process (SIGABRT) after the
    one-line answer is already written. The answer is flushed, exit handlers run, and the process leaves.
    """
    try:
        main()
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
        if code not in (2, 3):
            raise
        import atexit

        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        atexit._run_exitfuncs()
        os._exit(code)


def _main() -> None:
    _limits.set_current(None)  # a previous in-process run must not leave its limits behind
    # an exception a C extension could not raise (e.g. in Arrow's invalid-row callback) must not add
    # "Exception ignored in ..." lines to the one-line error contract; shown with -v
    sys.unraisablehook = _unraisable
    try:
        try:
            # without standalone mode click returns (not raises) the code of typer.Exit
            rc = app(standalone_mode=False)
        except RecursionError:
            raise InputError("the input is nested too deeply to read",
                             hint="Pass a flat table (CSV, XLSX, JSON records or Parquet)") from None
        sys.exit(rc if isinstance(rc, int) else 0)
    except ElectcheckError as e:
        print(f"electcheck: error: {_one_line(str(e))}", file=sys.stderr)
        sys.exit(2)
    except (typer.Exit, SystemExit) as e:
        code = getattr(e, "exit_code", getattr(e, "code", 0))
        sys.exit(code if isinstance(code, int) else 0)
    except typer.Abort:
        print("electcheck: aborted", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)
    except MemoryError:
        print("electcheck: error: out of memory while reading the input; it is larger than this machine can "
              f"hold. Lower the limits ({_limits.all_flags()}) to refuse such files early, or use a machine "
              "with more memory", file=sys.stderr)
        sys.exit(2)
    except BrokenPipeError:  # `electcheck ... | head`: the reader went away
        try:
            sys.stdout = open(os.devnull, "w")
        except OSError:
            pass
        sys.exit(0)
    except Exception as e:
        # click usage errors (typer may vendor its own click, so duck-type them)
        if hasattr(e, "show") and hasattr(e, "exit_code"):
            e.show()
            sys.exit(2)
        if _debug():
            import traceback

            traceback.print_exc()
        msg = _one_line(f"{type(e).__name__}: {e}")[:300]
        print(f"electcheck: internal error (a bug, please report it): {msg}. "
              "Run again with -v (or ELECTCHECK_DEBUG=1) for the traceback", file=sys.stderr)
        sys.exit(3)
