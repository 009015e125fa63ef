"""The workspace config (`masterplan.toml`): load it, check it, hold it.

Every domain list (dimensions and elements, Jenis Program, Sumber Dana, OPDs, years) is
defined once in the config; templates, schemas and reports derive from `Config`.
A broken config raises `ConfigError` with one Indonesian sentence naming the key and the
fix; the CLI turns it into exit code 2.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

CONFIG_NAME = "masterplan.toml"
# OPD codes end up in file names and defined names: keep them filesystem-safe.
_SAFE_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")
# Dimension names become Excel defined names for the dependent Elemen dropdown.
_SAFE_DIMENSION = re.compile(r"^[A-Za-z][A-Za-z0-9 ]{0,60}$")


class ConfigError(Exception):
    """A config problem, with the key it concerns and an Indonesian sentence."""

    def __init__(self, key: str, message: str, path: Path | None = None):
        super().__init__(key, message)
        self.key = key
        self.detail = message
        self.path = path

    def __str__(self) -> str:
        where = f"{self.path.name}, " if self.path else ""
        return f"Konfigurasi salah ({where}kunci '{self.key}'): {self.detail}"


@dataclass(frozen=True)
class Opd:
    kode: str
    nama: str
    singkatan: str


# eq=False: hashed by identity, so schemas built from it can be cached per config.
@dataclass(frozen=True, eq=False)
class Config:
    region_name: str
    region_short: str
    region_code: str
    province: str
    first_year: int
    n_years: int
    quick_win_year: int
    reference_docs: tuple[str, ...]
    dimensions: dict[str, tuple[str, ...]]  # dimension -> its elements, in config order
    program_types: tuple[str, ...]
    funding_sources: tuple[str, ...]
    funding_without_budget: tuple[str, ...]  # Quick Win may lack a budget (warning only)
    opds: tuple[Opd, ...]
    small_money: int = 1000
    max_rows: int = 5000
    eval_achieved: float = 100.0
    eval_partial: float = 50.0
    eval_min_respondents: int = 50
    book_style: str = ""  # [buku] gaya: reference .docx for `masterplan book` ("": none)

    @property
    def years(self) -> list[int]:
        return list(range(self.first_year, self.first_year + self.n_years))

    @property
    def period_label(self) -> str:
        return f"{self.first_year}-{self.first_year + self.n_years - 1}"

    @cached_property
    def element_dimension(self) -> dict[str, str]:
        return {el: dim for dim, els in self.dimensions.items() for el in els}

    @cached_property
    def opd_by_code(self) -> dict[str, Opd]:
        return {o.kode: o for o in self.opds}


def default_text() -> str:
    """The shipped default config (Kabupaten Tapanuli Tengah), as TOML text."""
    return resources.files("pipeline").joinpath("default_config.toml").read_text("utf-8")


def load(path: Path) -> Config:
    """Read and check a config file."""
    if not path.is_file():
        raise ConfigError(
            "-", f"berkas {path.name} tidak ditemukan di {path.parent}. Jalankan "
            "`masterplan init` untuk membuatnya, atau beri --workspace ke folder yang benar.",
        )
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError("-", "berkas bukan teks UTF-8; simpan ulang sebagai UTF-8.",
                          path) from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            "-", f"penulisan TOML salah ({exc}); perbaiki baris tersebut, misalnya tanda kutip "
            "atau kurung yang belum ditutup.", path,
        ) from exc
    try:
        return parse(data)
    except ConfigError as exc:
        exc.path = path
        raise


def parse(data: dict[str, Any]) -> Config:
    region = _table(data, "wilayah")
    period = _table(data, "periode")
    choices = _table(data, "pilihan")
    checks = data.get("validasi", {})
    evaluation = data.get("evaluasi", {})

    first_year = _int(period, "periode.tahun_awal", lo=1900, hi=2200)
    n_years = _int(period, "periode.jumlah_tahun", lo=1, hi=50)
    qw_year = _int(period, "periode.tahun_quick_win", lo=1900, hi=2200, default=first_year)
    if not first_year <= qw_year < first_year + n_years:
        raise ConfigError(
            "periode.tahun_quick_win",
            f"{qw_year} di luar periode {first_year}-{first_year + n_years - 1}; isi tahun di "
            "dalam periode atau hapus kunci ini agar sama dengan tahun_awal.",
        )

    dimensions = _dimensions(data.get("dimensi"))
    funding = _names(choices, "pilihan.sumber_dana")
    without_budget = _names(choices, "pilihan.sumber_dana_non_anggaran", required=False)
    for name in without_budget:
        if name not in funding:
            raise ConfigError(
                "pilihan.sumber_dana_non_anggaran",
                f"'{name}' tidak ada di pilihan.sumber_dana; samakan penulisannya.",
            )

    return Config(
        region_name=_text(region, "wilayah.nama"),
        region_short=_text(region, "wilayah.singkatan", default=""),
        region_code=_text(region, "wilayah.kode"),
        province=_text(region, "wilayah.provinsi", default=""),
        first_year=first_year,
        n_years=n_years,
        quick_win_year=qw_year,
        reference_docs=_names(choices, "pilihan.acuan"),
        dimensions=dimensions,
        program_types=_names(choices, "pilihan.jenis_program"),
        funding_sources=funding,
        funding_without_budget=without_budget,
        opds=_opds(data.get("opd")),
        small_money=_int(checks, "validasi.anggaran_kecil", lo=0, hi=10**9, default=1000),
        max_rows=_int(checks, "validasi.maks_baris", lo=10, hi=40_000, default=5000),
        eval_achieved=_number(evaluation, "evaluasi.tercapai", default=100),
        eval_partial=_number(evaluation, "evaluasi.sebagian", default=50),
        eval_min_respondents=_int(evaluation, "evaluasi.min_responden", lo=0, hi=10**6,
                                  default=50),
        book_style=_text(data.get("buku", {}), "buku.gaya", default=""),
    )


# --- checks, one per kind of value ------------------------------------------------------

def _table(data: dict, key: str) -> dict:
    value = data.get(key)
    if not isinstance(value, dict):
        raise ConfigError(key, f"bagian [{key}] tidak ada; salin bagian itu dari konfigurasi "
                               "bawaan (`masterplan init --force` di folder lain).")
    return value


def _leaf(key: str) -> str:
    return key.rsplit(".", 1)[-1]


def _int(table: dict, key: str, *, lo: int, hi: int, default: int | None = None) -> int:
    value = table.get(_leaf(key), default)
    if value is None:
        raise ConfigError(key, "wajib diisi dengan bilangan bulat.")
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigError(key, f"harus bilangan bulat tahun/jumlah tanpa koma atau tanda kutip, "
                               f"bukan {value!r}.")
    if not lo <= value <= hi:
        raise ConfigError(key, f"{value} di luar batas wajar ({lo}-{hi}).")
    return value


def _number(table: dict, key: str, *, default: float) -> float:
    value = table.get(_leaf(key), default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise ConfigError(key, f"harus angka 0 atau lebih, bukan {value!r}.")
    return float(value)


def _text(table: dict, key: str, default: str | None = None) -> str:
    value = table.get(_leaf(key), default)
    if not isinstance(value, str) or (default is None and not value.strip()):
        raise ConfigError(key, "wajib diisi dengan teks dalam tanda kutip.")
    return value.strip()


def _names(table: dict, key: str, required: bool = True) -> tuple[str, ...]:
    value = table.get(_leaf(key), [] if not required else None)
    if not isinstance(value, list) or (required and not value):
        raise ConfigError(key, 'harus daftar teks, misalnya ["A", "B"].')
    names = []
    for item in value:
        if not isinstance(item, str) or not item.strip():
            raise ConfigError(key, f"berisi {item!r}; setiap isian harus teks yang tidak kosong.")
        if item.strip() in names:
            raise ConfigError(key, f"'{item.strip()}' tercantum dua kali; hapus salah satunya.")
        names.append(item.strip())
    return tuple(names)


def _table_entries(value: Any, section: str, fields: str, empty: str,
                   ) -> Iterator[tuple[str, dict]]:
    """(config key, entry) of each [[section]] table; the message `empty` when there is
    none, a message naming the fields when an entry is not a table."""
    if not isinstance(value, list) or not value:
        raise ConfigError(section, empty)
    for i, entry in enumerate(value, start=1):
        key = f"{section}[{i}]"
        if not isinstance(entry, dict):
            raise ConfigError(key, f"harus tabel [[{section}]] dengan {fields}.")
        yield key, entry


def _dimensions(value: Any) -> dict[str, tuple[str, ...]]:
    dimensions: dict[str, tuple[str, ...]] = {}
    owner: dict[str, str] = {}
    for key, entry in _table_entries(
            value, "dimensi", "`nama` dan `elemen`",
            "tidak ada [[dimensi]]; tiap dimensi perlu `nama` dan `elemen`."):
        name = entry.get("nama")
        if not isinstance(name, str) or not name.strip():
            raise ConfigError(f"{key}.nama", "elemen tanpa dimensi: setiap [[dimensi]] perlu "
                                             "`nama`, misalnya nama = \"Smart Living\".")
        name = " ".join(name.split())
        if not _SAFE_DIMENSION.match(name):
            raise ConfigError(f"{key}.nama", f"'{name}' hanya boleh berisi huruf, angka dan "
                                             "spasi (dipakai untuk daftar pilihan Excel).")
        if name.casefold() in {d.casefold() for d in dimensions}:
            raise ConfigError(f"{key}.nama", f"dimensi '{name}' tercantum dua kali.")
        elements = _names(entry, f"{key}.elemen")
        for element in elements:
            if element in owner:
                raise ConfigError(f"{key}.elemen", f"elemen '{element}' sudah ada di dimensi "
                                                   f"'{owner[element]}'; tiap elemen hanya "
                                                   "boleh di satu dimensi.")
            owner[element] = name
        dimensions[name] = elements
    return dimensions


def _opds(value: Any) -> tuple[Opd, ...]:
    opds: list[Opd] = []
    seen: dict[str, int] = {}
    for i, (key, entry) in enumerate(_table_entries(
            value, "opd", "`kode`, `nama` dan `singkatan`",
            "daftar [[opd]] kosong; tambahkan minimal satu OPD dengan `kode`, `nama` dan "
            "`singkatan`."), start=1):
        kode = entry.get("kode")
        if isinstance(kode, (int, float)) and not isinstance(kode, bool):
            raise ConfigError(f"{key}.kode", f"tulis kode dalam tanda kutip, misalnya "
                                             f"kode = \"{kode}\".")
        kode = _text(entry, f"{key}.kode")
        if not _SAFE_CODE.match(kode):
            raise ConfigError(f"{key}.kode", f"'{kode}' hanya boleh berisi huruf, angka, titik, "
                                             "garis bawah atau tanda hubung.")
        if kode in seen:
            raise ConfigError(f"{key}.kode", f"kode OPD '{kode}' sama dengan opd[{seen[kode]}]; "
                                             "setiap OPD harus punya kode unik.")
        seen[kode] = i
        nama = _text(entry, f"{key}.nama")
        singkatan = _text(entry, f"{key}.singkatan", default=nama)
        opds.append(Opd(kode=kode, nama=nama, singkatan=singkatan or nama))
    return tuple(opds)
