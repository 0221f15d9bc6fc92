"""How ``--help`` looks: sentences wrapped by the terminal, flags without a value type,
repeatable options with the type of one value.

Two adjustments to Typer's (0.29) rich help, made once when the CLI is imported; each is skipped
if Typer no longer has what it adjusts.
"""

from __future__ import annotations

import inspect
import re
from typing import Any

import typer.core
import typer.rich_utils

# a line that starts a list item, an example or an indented block keeps its line break
_KEEP_BREAK = re.compile(r"\n(?=\s*(?:[-*] |\d+[.)] |Example|\s))")


def reflow_help(paragraphs: list[str], markup_mode: str) -> str:
    """Help paragraphs with the docstring's hard line breaks joined, so the terminal wraps them.

    Typer (0.29) keeps every line break of a command's docstring after its first paragraph,
    which breaks sentences in mid-line on a narrow terminal. Breaks before a list item, an
    example or an indented line are kept.
    """
    joined = [_KEEP_BREAK.sub("\x00", p).replace("\n", " ").replace("\x00", "\n")
              for p in paragraphs]
    return "\n\n".join(joined)


def command_summary(*, help_text: str, markup_mode: Any) -> Any:
    """A command's line in its group's list: the first paragraph, its line breaks joined."""
    first, gap, rest = inspect.cleandoc(help_text).partition("\n\n")
    return _command_help(help_text=first.replace("\n", " ") + gap + rest,
                         markup_mode=markup_mode)


_command_help = getattr(typer.rich_utils, "_make_command_help", None)
_value_type = typer.core.TyperOption.display_type_rich


_LIST_TYPE = re.compile(r"list\[(\w+)\]")


def flag_type(option: typer.core.TyperOption, ctx: Any) -> str | None:
    """No value type for a flag (``--dry-run``, not ``--dry-run <bool>``): it takes no value;
    a repeatable option shows the type of one value (``<str>...``, not ``<list[str]>``)."""
    if option.is_flag:
        return None
    shown = _value_type(option, ctx)
    if shown is None:
        return None
    plain = _LIST_TYPE.sub(r"\1", str(shown))
    return plain + "..." if plain != shown else shown


if hasattr(typer.rich_utils, "_fix_linebreaks"):
    typer.rich_utils._fix_linebreaks = reflow_help
if _command_help is not None:
    typer.rich_utils._make_command_help = command_summary
typer.core.TyperOption.display_type_rich = flag_type  # type: ignore[method-assign]
