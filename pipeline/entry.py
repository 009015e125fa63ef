"""The `masterplan` command's entry point (and `python -m pipeline`).

It loads the CLI itself so that Ctrl-C pressed while the CLI is still loading ends like
Ctrl-C during a command (pipeline.cli_id): one Indonesian line and exit code 130, the
shell's code for a program stopped by SIGINT. Only `sys` is imported before the CLI
loads, so the window in which Python itself would print a traceback is a few ms.
"""

from __future__ import annotations

import sys

INTERRUPTED_EXIT = 130
INTERRUPTED = ("Dihentikan (Ctrl-C). Tidak ada keluaran yang setengah jadi; jalankan "
               "perintah yang sama lagi untuk melanjutkan.")


def stop_interrupted() -> None:
    sys.stderr.write(f"\n{INTERRUPTED}\n")
    sys.exit(INTERRUPTED_EXIT)


def main() -> None:
    try:
        from .cli import main as cli
    except KeyboardInterrupt:
        stop_interrupted()
    cli()
