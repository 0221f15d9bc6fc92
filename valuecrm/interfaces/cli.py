"""The ``valuecrm`` command line: thin Typer commands over the library."""

from __future__ import annotations

import sys
from importlib import import_module
from typing import Annotated

import typer

from valuecrm import __version__
from valuecrm.errors import ValueCRMError
from valuecrm.interfaces import help_format  # noqa: F401  (tidies every --help)
from valuecrm.interfaces.context import CLIState, fail

EPILOG = (
    "Exit codes: 0 success, 1 error, 2 bad input (file, column, option, unknown customer or "
    "snapshot), 3 file rejected by validation, 4 database unavailable (missing, locked, wrong "
    "version), 5 'serve' cannot listen on its port (in use by another program, or not "
    "allowed)."
)

app = typer.Typer(
    name="valuecrm",
    help="Value-oriented CRM: load customer data, learn what each customer is worth, act on it."
         "\n\nExample: valuecrm --db shop.duckdb analyze",
    epilog=EPILOG,
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        print(f"valuecrm {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option("--db", help="Database file (default: $VALUECRM_DB or ./valuecrm.duckdb).",
                     envvar="VALUECRM_DB", show_envvar=True),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True,
                           help="Print the version and exit.")
    ] = False,
) -> None:
    ctx.obj = CLIState(db=db)


@app.command()
def init(ctx: typer.Context) -> None:
    """Create an empty customer database (or migrate an existing one) at --db.

    Example: valuecrm --db shop.duckdb init
    """
    from valuecrm.interfaces.context import state

    with state(ctx).connect(create=True) as database:
        print(f"Database ready: {database.path or ':memory:'} "
              f"(schema version {database.schema_version}).")


# Commands from their own modules, each with a ``register(app)`` function.
COMMAND_MODULES: tuple[str, ...] = ("demo", "generate", "analyze", "ingest", "serve",
                                     "actions", "customers", "report", "voice", "voice_service",
                                     "voice_survey",
                                     "campaign", "profile", "loyalty", "cross_sell",
                                     "acquisition")

for _name in COMMAND_MODULES:
    import_module(f"valuecrm.interfaces.commands.{_name}").register(app)


def main() -> None:
    """Entry point of the console script: turns valuecrm errors into messages and exit codes."""
    as_json = "--json" in sys.argv
    try:
        app(standalone_mode=False)
    except ValueCRMError as error:
        raise SystemExit(fail(error, as_json=as_json).exit_code) from None
    except typer.Exit as done:
        raise SystemExit(done.exit_code) from None
    except typer.Abort:
        print("Aborted.", file=sys.stderr)
        raise SystemExit(130) from None
    except KeyboardInterrupt:
        print("Interrupted: nothing was written by the unfinished step.", file=sys.stderr)
        raise SystemExit(130) from None
    except Exception as exc:  # usage errors (Typer carries its own copy of click's classes)
        import click
        from typer.exceptions import TyperException

        if isinstance(exc, click.ClickException | TyperException) and hasattr(exc, "show"):
            exc.show()
            raise SystemExit(exc.exit_code) from None
        raise
