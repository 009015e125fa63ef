"""The workspace config (`masterplan.toml`): load it, check it, hold it.

Every domain list (dimensions and elements, Jenis Program, Sumber Dana, OPDs, years) is
defined once in the config; templates, schemas and reports derive from `Config`.
A broken config raises `ConfigError` with one Indonesian sentence naming the key and the
fix; the CLI turns it into exit code 2.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import OperatorError, UnknownOpd

CONFIG_NAME = "masterplan.toml"
# OPD codes end up in file names and defined names: keep them filesystem-safe.
_SAFE_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")
# Dimension names become Excel defined names for the dependent Elemen dropdown.
_SAFE_DIMENSION = re.compile(r"^[A-Za-z][A-Za-z0-9 ]{0,60}$")


class ConfigError(OperatorError):
    """A config problem, with the key it concerns and an Indonesian sentence.

    key "-" is a problem of the file as a whole (missing, not text, TOML syntax); a
    syntax error carries the place it was found instead (line, column).
    """

    def __init__(self, key: str, message: str, path: Path | None = None,
                 place: str | None = None):
        super().__init__(key, message)
        self.key = key
        self.detail = message
        self.path = path
        self.place = place

    def __str__(self) -> str:
        where = [self.path.name] if self.path else []
        if self.key != "-":
            where.append(f"kunci '{self.key}'")
        if self.place:
            where.append(self.place)
        return f"Konfigurasi salah ({', '.join(where)}): {self.detail}" if where else \
            f"Konfigurasi salah: {self.detail}"


@dataclass(frozen=True)
class Opd:
    kode: str
    nama: str
    singkatan: str
    urusan: tuple[str, ...] = ()  # [[opd]] urusan: the bidang urusan it carries ("2.16")
    # [[opd]] sipd: the SKPD or sub unit codes of SIPD documents that are this OPD
    # (`masterplan pantau`), when its own code does not say it
    sipd: tuple[str, ...] = ()


# [rujukan]: the regency's RPJMD/RPD programs and the national nomenclature, read from the
# files the config names (pipeline.read.references) and attached to the Config.
REFERENCE_KEYS = ("rpjmd", "nomenklatur")


@dataclass(frozen=True)
class RpjmdProgram:
    name: str
    code: str = ""  # normalised nomenclature code when the list gives one
    opds: tuple[str, ...] = ()  # OPD codes responsible (empty: the list names none)


@dataclass(frozen=True, eq=False)
class References:
    """What the [rujukan] files hold; None for a list the config does not name."""

    nomenclature: dict[str, str] | None = None  # normalised code -> official name
    rpjmd: tuple[RpjmdProgram, ...] | None = None
    skipped: tuple[tuple[str, str, int, str], ...] = ()  # (key, file, row, why)
    digest: str = ""  # hash of the files' bytes (read.references.files_digest)
    read: tuple[ReferenceFile, ...] = ()  # what each nomenklatur file gave, in config order


@dataclass(frozen=True)
class ReferenceFile:
    """What one `nomenklatur` file gave (read.sipd), for `masterplan rujukan` and `run`."""

    file: str  # as written in [rujukan]
    form: str  # Indonesian: "rekap datar", "tabel per SKPD", ...
    sheets: tuple[str, ...]
    codes: tuple[int, int, int, int, int]  # urusan, bidang urusan, program, kegiatan, sub
    derived: int  # codes known only from the codes below them, without a name
    skipped: tuple[tuple[str, int, str], ...]  # (sheet, row, why)
    warnings: tuple[str, ...]  # Indonesian, naming the file and what was expected


class ListsNotRead:
    """`Config.references` of a config read without its [rujukan] lists (`load` or `parse`
    alone): any use fails loudly, so no reference rule skips quietly. Every command reads
    the config with `read.references.load_config`, which reads the lists."""

    def __getattr__(self, name: str) -> Any:
        raise RuntimeError(f"[rujukan] lists not read ({name}): load the config with "
                           "read.references.load_config")

    def __bool__(self) -> bool:
        raise RuntimeError("[rujukan] lists not read: load the config with "
                           "read.references.load_config")


NOT_READ = ListsNotRead()


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
    small_money: int = 1_000_000
    max_rows: int = 5000
    eval_achieved: float = 100.0
    eval_partial: float = 50.0
    eval_min_respondents: int = 50
    book_style: str = ""  # [buku] gaya: reference .docx for `masterplan book` ("": none)
    upload_limit_mb: int = 20  # [layanan] batas_mb: the largest upload `masterplan serve` takes
    upload_quota_files: int = 30  # [layanan] kuota_berkas: uploads per OPD per hour
    upload_quota_mb: int = 200  # [layanan] kuota_mb: MB uploaded per OPD per hour
    # [rujukan]: (key "rpjmd"/"nomenklatur", the file as written, relative to the workspace)
    reference_files: tuple[tuple[str, str], ...] = ()
    # The lists (read.references.load_config); None: [rujukan] names none; NOT_READ: it
    # names some, not read (a Config from `load` or `parse` alone).
    references: References | ListsNotRead | None = None
    # The bytes of masterplan.toml this config was read from: the judgements' config key
    # (store.config_key) hashes them, so the config in use is the one that stamps them.
    source: bytes = field(default=b"", repr=False)

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

    def opds_named(self, codes: Iterable[str]) -> list[Opd]:
        """The OPDs of these codes; UnknownOpd names every code the config lacks."""
        codes = list(codes)
        unknown = [code for code in codes if code not in self.opd_by_code]
        if unknown:
            raise UnknownOpd(unknown)
        return [self.opd_by_code[code] for code in codes]

    def opd_label(self, kode: str) -> str:
        """'Dinas Pendidikan (1.01.01)'; an OPD no longer configured by its code."""
        opd = self.opd_by_code.get(kode)
        return f"{opd.nama} ({kode})" if opd else f"OPD {kode}"


# Every table and key masterplan.toml may hold (array tables: the keys of each entry).
# Anything else is an error naming the closest of these, so a typo never silently drops
# a setting or an OPD. A new setting is one line here plus its reading in `parse`.
KNOWN_KEYS: dict[str, tuple[str, ...]] = {
    "wilayah": ("nama", "singkatan", "kode", "provinsi"),
    "periode": ("tahun_awal", "jumlah_tahun", "tahun_quick_win"),
    "pilihan": ("acuan", "jenis_program", "sumber_dana", "sumber_dana_non_anggaran"),
    "validasi": ("anggaran_kecil", "maks_baris"),
    "evaluasi": ("tercapai", "sebagian", "min_responden"),
    "buku": ("gaya",),
    "layanan": ("batas_mb", "kuota_berkas", "kuota_mb"),
    "rujukan": REFERENCE_KEYS,
    "dimensi": ("nama", "elemen"),
    "opd": ("kode", "nama", "singkatan", "urusan", "sipd"),
}
ARRAY_TABLES = frozenset({"dimensi", "opd"})  # written [[name]], one per entry


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
    source = path.read_bytes()
    try:
        # utf-8-sig: Notepad saves UTF-8 with a byte-order mark in front.
        # (newlines as read_text reads them: \r\n and \r are \n)
        text = source.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
        data = tomllib.loads(text)
    except UnicodeDecodeError as exc:
        raise ConfigError("-", "berkas bukan teks UTF-8; simpan ulang sebagai UTF-8.",
                          path) from exc
    except tomllib.TOMLDecodeError as exc:
        place, what = toml_error_id(str(exc))
        raise ConfigError("-", f"penulisan TOML salah: {what}. Perbaiki baris tersebut lalu "
                               "jalankan lagi.", path, place) from exc
    try:
        return replace(parse(data), source=source)
    except ConfigError as exc:
        exc.path = path
        raise


def parse(data: dict[str, Any]) -> Config:
    check_known_keys(data)
    region = _table(data, "wilayah")
    period = _table(data, "periode")
    choices = _table(data, "pilihan")
    checks = _table(data, "validasi", required=False)
    evaluation = _table(data, "evaluasi", required=False)
    service = _table(data, "layanan", required=False)
    # The book writer reads [buku] gaya (a .docx to take styles from) and checks the file.
    _text(_table(data, "buku", required=False), "buku.gaya", default="")

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

    reference_files = _reference_files(_table(data, "rujukan", required=False))
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
        small_money=_int(checks, "validasi.anggaran_kecil", lo=0, hi=10**12,
                         default=1_000_000),
        max_rows=_int(checks, "validasi.maks_baris", lo=10, hi=40_000, default=5000),
        eval_achieved=_number(evaluation, "evaluasi.tercapai", default=100),
        eval_partial=_number(evaluation, "evaluasi.sebagian", default=50),
        eval_min_respondents=_int(evaluation, "evaluasi.min_responden", lo=0, hi=10**6,
                                  default=50),
        book_style=_text(data.get("buku", {}), "buku.gaya", default=""),
        upload_limit_mb=_int(service, "layanan.batas_mb", lo=1, hi=500, default=20),
        upload_quota_files=_int(service, "layanan.kuota_berkas", lo=1, hi=10_000, default=30),
        upload_quota_mb=_int(service, "layanan.kuota_mb", lo=1, hi=100_000, default=200),
        reference_files=reference_files,
        references=NOT_READ if reference_files else None,
    )


# --- names the config may use -------------------------------------------------------------

def _table_label(name: str) -> str:
    return f"[[{name}]]" if name in ARRAY_TABLES else f"[{name}]"


def _closest(name: str, known: Iterable[str]) -> str | None:
    """The known name the operator most likely meant: same letters in another case, or
    the nearest spelling."""
    known = list(known)
    by_fold = {k.casefold(): k for k in known}
    if name.casefold() in by_fold:
        return by_fold[name.casefold()]
    near = difflib.get_close_matches(name.casefold(), list(by_fold), n=1, cutoff=0.6)
    return by_fold[near[0]] if near else None


def _owner_table(key: str, besides: str | None = None) -> str | None:
    """The table that has this key, when the key was typed under the wrong one."""
    return next((table for table, keys in KNOWN_KEYS.items()
                 if key in keys and table != besides), None)


def check_known_keys(data: dict[str, Any]) -> None:
    """Refuse any table or key the config does not know, naming the closest known one."""
    for name, value in data.items():
        if name not in KNOWN_KEYS:
            near = _closest(name, KNOWN_KEYS)
            owner = _owner_table(name)
            if near:
                hint = f"mungkin maksudnya {_table_label(near)}"
            elif owner:
                hint = f"kunci ini seharusnya di bawah bagian {_table_label(owner)}"
            else:
                hint = "bagian yang dikenal: " + ", ".join(map(_table_label, KNOWN_KEYS))
            typed = f"bagian [[{name}]]" if isinstance(value, list) else \
                f"bagian [{name}]" if isinstance(value, dict) else f"kunci '{name}'"
            raise ConfigError(name, f"{typed} tidak dikenal; {hint}. Perbaiki penulisannya "
                                    "seperti pada konfigurasi bawaan.")
        if name in ARRAY_TABLES and isinstance(value, dict):
            raise ConfigError(name, f"tulis [[{name}]] (dua kurung siku) di atas setiap "
                                    f"entri, bukan [{name}].")
        if name not in ARRAY_TABLES and isinstance(value, list) and value \
                and all(isinstance(entry, dict) for entry in value):
            raise ConfigError(name, f"tulis [{name}] (satu kurung siku), bukan [[{name}]]; "
                                    "bagian ini hanya ada satu.")
        entries = value if isinstance(value, list) else [value]
        for i, entry in enumerate(entries, start=1):
            if not isinstance(entry, dict):
                continue  # a wrong shape is reported by the table's own reader
            prefix = f"{name}[{i}]" if name in ARRAY_TABLES else name
            for key in entry:
                if key not in KNOWN_KEYS[name]:
                    _unknown_key(name, f"{prefix}.{key}", key)


def _unknown_key(table: str, full_key: str, key: str) -> None:
    near = _closest(key, KNOWN_KEYS[table])
    owner = _owner_table(key, besides=table)
    if near:
        hint = f"mungkin maksudnya '{near}'"
    elif owner:
        hint = f"kunci ini milik bagian {_table_label(owner)}; pindahkan ke sana"
    else:
        hint = f"kunci yang dikenal di {_table_label(table)}: {', '.join(KNOWN_KEYS[table])}"
    raise ConfigError(full_key, f"kunci '{key}' tidak dikenal di {_table_label(table)}; "
                                f"{hint}.")


# tomllib's messages, in the words an operator understands; the position is parsed from
# the message ("... (at line 7, column 12)") since Python 3.11 has no attributes for it.
_TOML_MESSAGES = (
    ("Unterminated string", "tanda kutip penutup teks tidak ada"),
    ("Illegal character '\\n'", "teks belum ditutup dengan tanda kutip sebelum akhir baris"),
    ("Expected \"'\"", "tanda kutip penutup teks tidak ada"),
    ("Expected newline or end of document", "ada isian lebih setelah nilai: satu baris hanya "
                                            "untuk satu `kunci = nilai`; angka ditulis tanpa "
                                            "titik atau koma ribuan, teks diapit tanda kutip"),
    ("Unclosed array", "daftar [ ... ] belum ditutup dengan ']' atau isinya tidak dipisah "
                       "koma"),
    ("Unclosed inline table", "tabel { ... } belum ditutup dengan '}'"),
    ("Expected '=' after a key", "tanda '=' tidak ada setelah nama kunci (tulis "
                                 "kunci = nilai)"),
    ("Expected ']]' at the end", "nama bagian [[...]] belum ditutup dengan ']]'"),
    ("Expected ']' at the end", "nama bagian [...] belum ditutup dengan ']'"),
    ("Invalid value", "nilai tidak dikenali: teks harus diapit tanda kutip \"...\", angka "
                      "ditulis tanpa titik ribuan, daftar diapit [ ]"),
    ("Invalid statement", "baris ini bukan `kunci = nilai` dan bukan nama bagian [...]"),
    ("Invalid initial character for a key", "nama kunci diawali tanda yang tidak boleh; "
                                            "pakai huruf, angka, _ atau -"),
    ("Cannot overwrite a value", "kunci yang sama ditulis dua kali; hapus salah satunya"),
    ("Cannot declare", "bagian atau kunci yang sama ditulis dua kali; hapus salah satunya"),
    ("Duplicate inline table key", "kunci yang sama ditulis dua kali; hapus salah satunya"),
    ("Cannot mutate immutable namespace", "bagian ini sudah ditulis sebelumnya dengan "
                                          "bentuk lain"),
    ("Cannot redefine namespace", "bagian ini sudah ditulis sebelumnya dengan bentuk lain"),
    ("Unescaped '\\'", "garis miring terbalik (\\) di dalam teks; tulis \\\\ atau apit teks "
                        "dengan tanda kutip tunggal '...'"),
    ("Invalid hex value", "kode \\u... di dalam teks tidak sah"),
    ("Escaped character", "kode \\u... di dalam teks tidak sah"),
    ("Invalid date", "tanggal tidak sah"),
    ("Illegal character", "ada tanda yang tidak boleh dipakai di sini"),
    ("Found invalid character", "ada tanda yang tidak boleh dipakai di sini"),
    ("Expected", "ada tanda yang kurang"),
)
_TOML_PLACE = re.compile(r"\(at (?:line (\d+), column (\d+)|end of document)\)\s*$")


def toml_error_id(message: str) -> tuple[str | None, str]:
    """(where, what) of a tomllib error message, in Indonesian."""
    place = _TOML_PLACE.search(message)
    where = None
    if place and place.group(1):
        where = f"baris {place.group(1)}, kolom {place.group(2)}"
    elif place:
        where = "akhir berkas"
    what = next((text for start, text in _TOML_MESSAGES if message.startswith(start)),
                "penulisan tidak sesuai aturan TOML")
    return where, what


# --- checks, one per kind of value ------------------------------------------------------

def _table(data: dict, key: str, required: bool = True) -> dict:
    value = data.get(key, None if required else {})
    if value is None:
        raise ConfigError(key, f"bagian [{key}] tidak ada; salin bagian itu dari konfigurasi "
                               "bawaan (`masterplan init --force` di folder lain).")
    if not isinstance(value, dict):
        raise ConfigError(key, f"harus bagian [{key}] berisi `kunci = nilai`, bukan "
                               f"{value!r}; tulis [{key}] pada barisnya sendiri.")
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
        opds.append(Opd(kode=kode, nama=nama, singkatan=singkatan or nama,
                        urusan=_urusan(entry, f"{key}.urusan"),
                        sipd=_sipd(entry, f"{key}.sipd")))
    return tuple(opds)


_BIDANG = re.compile(r"^([1-9X])\.?([0-9X]{2})$")


def _urusan(entry: dict, key: str) -> tuple[str, ...]:
    """[[opd]] urusan: the bidang urusan codes ("2.16") an OPD carries."""
    names = _names(entry, key, required=False)
    bidang = []
    for name in names:
        found = _BIDANG.match(name.replace(" ", "").upper())
        if not found:
            raise ConfigError(key, f"'{name}' bukan kode bidang urusan; tulis dua bagian "
                                   "pertama kode nomenklatur, misalnya urusan = [\"2.16\"].")
        bidang.append(f"{found.group(1)}.{found.group(2)}")
    return tuple(bidang)


_SIPD_CODE = re.compile(r"^[0-9X]+(?:\.[0-9X]+)*$")


def _sipd(entry: dict, key: str) -> tuple[str, ...]:
    """[[opd]] sipd: SKPD or sub unit codes as SIPD writes them ("1.02.0.00.0.00.01.0001")."""
    codes = []
    for name in _names(entry, key, required=False):
        code = name.replace(" ", "").upper().strip(".")
        if not _SIPD_CODE.match(code):
            raise ConfigError(key, f"'{name}' bukan kode SKPD atau sub unit; tulis kodenya "
                                   "seperti di SIPD, misalnya sipd = [\"1.02.0.00.0.00.01.0001\"].")
        codes.append(code)
    return tuple(codes)


def _reference_files(table: dict) -> tuple[tuple[str, str], ...]:
    """[rujukan]: which list is in which file (xlsx, xls, ods or csv, relative to the
    workspace); `nomenklatur` may name several files (a list), read as one list."""
    files = []
    for name in REFERENCE_KEYS:
        if name == "nomenklatur" and isinstance(table.get(name), list):
            files += [(name, value) for value in _names(table, f"rujukan.{name}")]
        elif name in table:
            files.append((name, _text(table, f"rujukan.{name}")))
    return tuple(files)
