"""Access codes: each OPD's secret for handing in files through `masterplan serve`.

Stored in the workspace (`.masterplan/akses.json`), never in masterplan.toml (which is
shared and printed), so changing a code does not change the config or any judgement.
A code is 8 characters from an alphabet without look-alikes (of 0/O/D, 1/I/L, 2/Z, 5/S,
8/B and 6/G at most one of each kept: here 6), 22^8 (about 5 x 10^10) codes, shown as
'ABCD-EFGH'; typing it in lower case, with spaces or without the dash is fine. Codes are
compared in constant time.
"""

from __future__ import annotations

import hmac
import json
import secrets
from collections.abc import Iterable
from pathlib import Path

from ..common.atomic import write_bytes_atomic

ACCESS_FILE = "akses.json"
ALPHABET = "ACEFHJKMNPRTUVWXY34679"
LENGTH = 8


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def shown(code: str) -> str:
    """'ACEF-HJKM': easier to read aloud and to copy from a printed page."""
    return f"{code[:4]}-{code[4:]}"


def typed(text: str | None) -> str:
    """What a participant typed, as a stored code is written (case, spaces, dashes off)."""
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


class AccessCodes:
    """The workspace's codes: OPD code -> access code (without the dash)."""

    def __init__(self, state_dir: Path):
        self.path = state_dir / ACCESS_FILE

    def load(self) -> dict[str, str]:
        try:
            data = json.loads(self.path.read_text("utf-8"))
        except (OSError, ValueError):
            return {}
        return {str(k): typed(v) for k, v in data.items() if isinstance(v, str) and typed(v)}

    def ensure(self, opd_codes: Iterable[str]) -> dict[str, str]:
        """The codes of these OPDs, making (and storing) one for each that has none."""
        codes = self.load()
        missing = [kode for kode in opd_codes if kode not in codes]
        if missing:
            codes.update({kode: self._unused(codes) for kode in missing})
            self.save(codes)
        return codes

    def renew(self, opd_code: str) -> str:
        codes = self.load()
        codes[opd_code] = self._unused(codes)
        self.save(codes)
        return codes[opd_code]

    @staticmethod
    def opd_of(codes: dict[str, str], given: str | None, allowed: Iterable[str]) -> str | None:
        """The OPD (among `allowed`) whose code was given, or None. Every code is compared,
        each in constant time, so the answer's timing says nothing of how close a guess was."""
        guess = typed(given).encode()
        found = None
        for kode in allowed:
            stored = codes.get(kode)
            if stored and hmac.compare_digest(stored.encode(), guess) and found is None:
                found = kode
        return found

    @staticmethod
    def _unused(codes: dict[str, str]) -> str:
        while (code := new_code()) in codes.values():
            pass
        return code

    def save(self, codes: dict[str, str]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_bytes_atomic(self.path, json.dumps(codes, indent=2, sort_keys=True).encode())
