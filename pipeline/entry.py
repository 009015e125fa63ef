"""The `masterplan` command's entry point (and `python -m pipeline`).

It loads the CLI itself so that Ctrl-C pressed while the CLI is still loading ends like
Ctrl-C during a command (pipeline.cli_indonesian): one Indonesian line and exit code 130, the
shell's code for a program stopped by SIGINT. Only `sys` is imported before the CLI
loads, so the window in which Python itself would print a traceback is a few ms.
"""

from __future__ import annotations

from .interrupt import stop_interrupted


def main() -> None:
    try:
        from .cli import main as cli
    except KeyboardInterrupt:
        stop_interrupted()
    cli()
