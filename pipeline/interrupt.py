"""How every command ends on Ctrl-C: one Indonesian line and exit code 130 (the shell's
code for a program stopped by SIGINT). Only `sys` is imported, so the entry point can use
it before the CLI has loaded."""

from __future__ import annotations

import sys

INTERRUPTED_EXIT = 130
INTERRUPTED = ("Dihentikan (Ctrl-C). Tidak ada keluaran yang setengah jadi; jalankan "
               "perintah yang sama lagi untuk melanjutkan.")


def stop_interrupted() -> None:
    sys.stderr.write(f"\n{INTERRUPTED}\n")
    sys.exit(INTERRUPTED_EXIT)
