"""Which OPD an SKPD (or sub unit) of a budget document is (`masterplan pantau`).

In this order:

1. `[[opd]] sipd = [...]`: an OPD claims SKPD or sub unit codes, whole or as a dotted
   prefix. The row's sub unit is tried before its SKPD, and the longest claim wins, so
   a sub unit an OPD claims (an RSUD under Dinas Kesehatan) counts for that OPD and not
   for the OPD of its parent SKPD.
2. the OPD's own code: the long SKPD form `A.BB.C.DD.E.FF.GG.HHHH` gives `A.BB.GG`
   (urusan `A.BB`, unit `GG`); a code written like an OPD code is taken as it is.
3. the name (rapidfuzz), of the sub unit, then of the SKPD, against the OPDs' names and
   abbreviations.

Anything else maps to no OPD and is listed by the caller.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process, utils

from ..config import Config

NAME_TAKEN = 90  # token_sort_ratio of an SKPD name and an OPD's to take that OPD
LONG_FORM_PARTS = 8  # A.BB.C.DD.E.FF.GG.HHHH

VIA_SIPD = "sipd (konfigurasi)"
VIA_CODE = "kode OPD"
VIA_NAME = "nama"
VIA_NONE = "tidak terpetakan"

SkpdKey = tuple[str | None, str | None, str | None, str | None]  # SKPD code, name; sub unit


@dataclass(frozen=True)
class Mapped:
    opd: str | None  # OPD code
    via: str


class SkpdMapper:
    """Maps the SKPD keys of documents to OPD codes; one per config, answers cached."""

    def __init__(self, cfg: Config):
        self.cfg = cfg
        self.claims = sorted(((code, o.kode) for o in cfg.opds for code in o.sipd),
                             key=lambda claim: -len(claim[0]))
        self.names = {o.kode: o.nama for o in cfg.opds}
        self.choices = [(o.kode, utils.default_process(text))
                        for o in cfg.opds for text in {o.nama, o.singkatan}]
        self._cache: dict[SkpdKey, Mapped] = {}

    def __call__(self, key: SkpdKey) -> Mapped:
        if key not in self._cache:
            self._cache[key] = self._map(key)
        return self._cache[key]

    def _map(self, key: SkpdKey) -> Mapped:
        skpd_code, skpd_name, unit_code, unit_name = key
        codes = [c.upper().replace(" ", "") for c in (unit_code, skpd_code) if c]
        for code in codes:
            for claim, opd in self.claims:  # longest first
                if code == claim or code.startswith(claim + "."):
                    return Mapped(opd, VIA_SIPD)
        for code in codes:
            opd = self._by_code(code)
            if opd:
                return Mapped(opd, VIA_CODE)
        for name in (unit_name, skpd_name):
            opd = self._by_name(name)
            if opd:
                return Mapped(opd, VIA_NAME)
        return Mapped(None, VIA_NONE)

    def _by_code(self, code: str) -> str | None:
        parts = code.split(".")
        if len(parts) == LONG_FORM_PARTS:
            code = f"{parts[0]}.{parts[1]}.{parts[6]}"
        return code if code in self.cfg.opd_by_code else None

    def _by_name(self, name: str | None) -> str | None:
        if not name or not name.strip():
            return None
        found = process.extractOne(utils.default_process(name), [text for _, text in self.choices],
                                   scorer=fuzz.token_sort_ratio, score_cutoff=NAME_TAKEN)
        return self.choices[found[2]][0] if found else None


def skpd_label(key: SkpdKey) -> str:
    """'1.02.0.00.0.00.01.0001 RSUD Pandan (sub unit dari 1.02.0.00.0.00.01.0000 Dinas
    Kesehatan)'; '(tanpa SKPD)' for rows the document gives no SKPD."""
    skpd_code, skpd_name, unit_code, unit_name = key
    skpd = " ".join(part for part in (skpd_code, skpd_name) if part)
    unit = " ".join(part for part in (unit_code, unit_name) if part)
    if unit and skpd and (unit_code, unit_name) != (skpd_code, skpd_name):
        return f"{unit} (sub unit dari {skpd})"
    return unit or skpd or "(tanpa SKPD)"
