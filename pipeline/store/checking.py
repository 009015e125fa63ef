"""`masterplan check`: the files behind the paths the operator names, judged without
writing anything.

A file is checked as named. A folder stands for the files in it, subfolders included,
picked as `masterplan run` picks them from `inbox/`: every file is a candidate, lock and
temporary files (`inbox.ignore_code`) are listed as ignored, links are not followed.
Nothing is recorded: an evaluation is checked against the Quick Wins accepted in the
workspace's ledger, read when it exists.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..catalogue import Problem
from ..config import Config
from ..errors import OperatorError
from ..results import FileState
from ..rules.judge import Judgement, judge_files
from .holdings import evaluable_quick_wins
from .inbox import ignore_code, scan
from .ledger import Ledger


class PathMissing(OperatorError):
    def __init__(self, path: Path):
        super().__init__(f"Berkas atau folder '{path}' tidak ditemukan. Periksa penulisan "
                         "jalurnya (gunakan tanda kutip bila ada spasi), lalu jalankan lagi.")


class FolderEmpty(OperatorError):
    def __init__(self, path: Path):
        super().__init__(f"Folder '{path}' tidak berisi berkas untuk diperiksa. Sebutkan "
                         "berkas Excel atau folder yang berisi berkas kiriman OPD.")


def files_to_check(paths: list[Path]) -> list[tuple[Path, str, str | None]]:
    """(path, name to show, ignore code or None) for every file the paths stand for,
    each file once, in the order given (a folder's files sorted by their path)."""
    found: list[tuple[Path, str, str | None]] = []
    for path in paths:
        if path.is_dir():
            files, _links = scan(path)
            if not files:
                raise FolderEmpty(path)
            # Shown as "<folder>/<path inside it>": short, and two equal names in two
            # subfolders stay apart.
            found += [(seen.path, f"{path.resolve().name}/{seen.rel}",
                       ignore_code(seen.rel)) for seen in files]
        elif path.is_file():
            found.append((path, path.name, None))
        else:
            raise PathMissing(path)
    unique: dict[str, tuple[Path, str, str | None]] = {}
    for entry in found:
        unique.setdefault(os.path.realpath(entry[0]), entry)
    return list(unique.values())


def check_paths(paths: list[Path], cfg: Config, ledger_path: Path | None = None,
                ) -> list[tuple[Path, str, Judgement]]:
    """(path, name to show, judgement) of every file the paths stand for."""
    files = files_to_check(paths)
    candidates = [path for path, _, code in files if code is None]
    judged = dict(check(candidates, cfg, ledger_path)) if candidates else {}
    results = []
    for path, name, code in files:
        judgement = judged[path] if code is None else \
            Judgement(FileState.IGNORED, problems=[Problem(code)])
        for problem in judgement.problems:
            problem.file = name
        results.append((path, name, judgement))
    return results


def check(paths: list[Path], cfg: Config, ledger_path: Path | None = None,
          ) -> list[tuple[Path, Judgement]]:
    """Judge files without writing to any ledger; an evaluation file is checked against
    the Quick Wins accepted in the workspace's ledger, read when it exists."""
    quick_wins: dict[str, list[tuple[int | None, str]]] = {}
    if ledger_path is not None and ledger_path.is_file():
        ledger = Ledger(ledger_path)
        try:
            quick_wins = evaluable_quick_wins(ledger, cfg)
        finally:
            ledger.close()
    judgements = judge_files(paths, cfg, quick_wins=quick_wins)
    for path, judgement in zip(paths, judgements, strict=True):
        for problem in judgement.problems:
            problem.file = path.name
            problem.opd = judgement.opd
    return list(zip(paths, judgements, strict=True))
