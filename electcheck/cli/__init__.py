"""Command line: one module per command group; each command is a short call into the library.

Only this package prints. Data goes to stdout, messages to stderr.
Exit codes: 0 ran; 1 ran and found something at or above --fail-on; 2 could not run.
"""

from __future__ import annotations

import sys

import typer

from ..errors import ElectcheckError

app = typer.Typer(
    name="electcheck",
    help="Verify election results and check the numbers people publish about them.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _register() -> None:
    # Each module adds its commands to ``app`` (or a sub-typer) on import.
    import importlib

    for mod in ("ingest", "inspect", "data", "compare", "check", "forensics", "audit"):
        try:
            importlib.import_module(f"{__name__}.{mod}")
        except ModuleNotFoundError as e:  # a command group not written yet
            if e.name != f"{__name__}.{mod}":
                raise


_register()


def main() -> None:
    """Console entry point: library errors become one line and exit code 2."""
    try:
        # without standalone mode click returns (not raises) the code of typer.Exit
        rc = app(standalone_mode=False)
        sys.exit(rc if isinstance(rc, int) else 0)
    except ElectcheckError as e:
        print(f"electcheck: error: {e}", file=sys.stderr)
        sys.exit(2)
    except (typer.Exit, SystemExit) as e:
        code = getattr(e, "exit_code", getattr(e, "code", 0))
        sys.exit(code if isinstance(code, int) else 0)
    except typer.Abort:
        print("electcheck: aborted", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as e:
        # click usage errors (typer may vendor its own click, so duck-type them)
        if hasattr(e, "show") and hasattr(e, "exit_code"):
            e.show()
            sys.exit(2)
        raise
