"""The door of the upload page: the access code is checked before any byte of the file is
kept.

A request body is parsed as it streams in (python-multipart's push parser, fed from
`limits.Body`), never spooled: the code comes first (header `X-Kode-Akses`, or the form
field `kode_akses` before the file part, as the page sends it), and is checked when the
file part's headers arrive. Only then is a staging file opened under `.masterplan/`; a
wrong or missing code, an address over its limits or an OPD over its quota is refused
with a `Refused` whose body is drained and thrown away.
"""

from __future__ import annotations

import contextlib
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO
from urllib.parse import parse_qsl

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

from ..catalogue import Refusal
from ..config import Opd
from .desk import UploadDesk
from .limits import (
    FORM_SLACK_BYTES,
    Body,
    OpenUploads,
    Quota,
    QuotaFull,
    Ticket,
    TooLarge,
    WrongCodes,
)

CODE_FIELD, FILE_FIELD, CODE_HEADER = "kode_akses", "berkas", "x-kode-akses"
_FIELD_MAX = 256  # bytes of a text field kept (an access code is 9)
_FIELDS_MAX = 5


class Refused(Exception):
    """A refusal of the page (catalogue.Refusal) with its message's parameters."""

    def __init__(self, refusal: Refusal, **params):
        super().__init__(refusal.render(**params))
        self.refusal, self.params = refusal, params

    @property
    def message(self) -> str:
        return str(self)


@dataclass
class Upload:
    """A file taken in: its OPD, and its bytes in a staging file of its own."""

    opd: Opd
    code: str
    given_name: str
    staged: Path
    size: int
    ticket: Ticket


@dataclass
class _Part:
    name: str = ""
    filename: str | None = None
    data: bytearray = field(default_factory=bytearray)
    disposition: bytes = b""
    header_name: bytes = b""
    header_value: bytes = b""


class Door:
    """Every check the page makes before it keeps a file, with the counts they need."""

    def __init__(self, desk: UploadDesk):
        self.desk = desk
        self.wrong_codes = WrongCodes()
        self.open = OpenUploads()
        self.quota = Quota(desk.cfg.upload_quota_files, desk.cfg.upload_quota_mb)

    # --- the checks ----------------------------------------------------------------------

    def refuse_if_blocked(self, address: str) -> None:
        wait = self.wrong_codes.blocked(address)
        if wait:
            raise Refused(Refusal.TERLALU_BANYAK_PERCOBAAN, wait=wait)

    def refuse_if_stalled(self) -> None:
        stall = self.desk.stall()
        if stall is not None:
            raise Refused(Refusal.PEMERIKSAAN_BERHENTI, cause=stall.cause)

    def opd_of(self, address: str, code: str | None) -> Opd:
        """The OPD of `code`; the attempt is counted before the code is checked, in one
        step with the check, so codes sent at the same moment meet the limit."""
        if not (code or "").strip():
            raise Refused(Refusal.KODE_KOSONG)
        wait = self.wrong_codes.attempt(address)
        if wait:
            raise Refused(Refusal.TERLALU_BANYAK_PERCOBAAN, wait=wait)
        opd = self.desk.opd_for(code)
        if opd is None:
            raise Refused(Refusal.KODE_SALAH)
        self.wrong_codes.forgive(address)
        return opd

    def ticket_for(self, opd: Opd) -> Ticket:
        try:
            return self.quota.take(opd.kode)
        except QuotaFull as full:
            raise _over_quota(opd, full) from None

    # --- reading a request -------------------------------------------------------------

    async def upload(self, request: Request, body: Body) -> Upload:
        """The file of `POST /unggah`, kept in a staging file once its code is right."""
        address = client_of(request)
        self.refuse_if_blocked(address)
        self.refuse_if_stalled()
        if not self.open.enter(address):
            raise Refused(Refusal.KIRIMAN_BERSAMAAN, limit=self.open.limit)
        try:
            return await self._take(request, body, address)
        finally:
            self.open.leave(address)

    async def code(self, request: Request, body: Body) -> Opd:
        """The OPD of a request that carries only a code (header, or a small form)."""
        address = client_of(request)
        self.refuse_if_blocked(address)
        code = request.headers.get(CODE_HEADER)
        if code is None:
            code = (await _fields(request, body)).get(CODE_FIELD)
        return self.opd_of(address, code)

    async def _take(self, request: Request, body: Body, address: str) -> Upload:
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > body.limit:
            raise TooLarge()
        header_code = request.headers.get(CODE_HEADER)
        kind, options = parse_options_header(request.headers.get("content-type", ""))
        if kind != b"multipart/form-data":
            fields = await _fields(request, body)
            self.opd_of(address, header_code or fields.get(CODE_FIELD))
            raise Refused(Refusal.BELUM_ADA_BERKAS)
        taking = _Taking(self, address, header_code)
        try:
            await taking.read(body, options.get(b"boundary"))
            return taking.upload()
        except BaseException:
            taking.discard()
            raise


class _Taking:
    """One multipart body being read: fields kept until the file part, whose bytes go to
    a staging file once `Door.opd_of` has passed its code (no door: text fields only)."""

    def __init__(self, door: Door | None, address: str, header_code: str | None):
        self.door, self.address = door, address
        self.fields: dict[str, str] = {}
        self.part = _Part()
        self.code = header_code
        self.opd: Opd | None = None
        self.ticket: Ticket | None = None
        self.filename: str | None = None
        self.staged: Path | None = None
        self.out: BinaryIO | None = None
        self.size = 0
        self.files = 0
        self.ended = False

    async def read(self, body: Body, boundary: bytes | None) -> None:
        if not boundary:
            raise Refused(Refusal.FORMULIR_TIDAK_TERBACA, detail="tanpa batas multipart")
        parser = MultipartParser(boundary, {
            "on_part_begin": self._begin, "on_part_data": self._data,
            "on_part_end": self._end, "on_header_field": self._header_field,
            "on_header_value": self._header_value, "on_header_end": self._header_end,
            "on_headers_finished": self._headers_done, "on_end": self._ended})
        try:
            async for chunk in body.chunks():
                parser.write(chunk)
            parser.finalize()
        except MultipartParseError as exc:
            raise Refused(Refusal.FORMULIR_TIDAK_TERBACA, detail=str(exc)[:80]) from exc
        if not self.ended:  # the body stopped before the form's closing boundary
            raise Refused(Refusal.FORMULIR_TIDAK_TERBACA, detail="kiriman terpotong")

    def upload(self) -> Upload:
        if self.staged is None:  # a form with no file part
            self.door.opd_of(self.address, self.code or self.fields.get(CODE_FIELD))
            raise Refused(Refusal.BELUM_ADA_BERKAS)
        self.out.close()
        if not (self.filename or "").strip():
            raise Refused(Refusal.BELUM_ADA_BERKAS)
        if not self.size:
            raise Refused(Refusal.BERKAS_KOSONG)
        return Upload(self.opd, self.code, self.filename, self.staged, self.size, self.ticket)

    def discard(self) -> None:
        if self.out is not None:
            self.out.close()
        if self.staged is not None:
            with contextlib.suppress(FileNotFoundError):
                self.staged.unlink()
        if self.ticket is not None:
            self.ticket.cancel()

    # --- python-multipart callbacks (synchronous, between two chunks of the body) ---------

    def _ended(self) -> None:
        self.ended = True

    def _begin(self) -> None:
        self.part = _Part()

    def _header_field(self, data: bytes, start: int, end: int) -> None:
        self.part.header_name += data[start:end]

    def _header_value(self, data: bytes, start: int, end: int) -> None:
        self.part.header_value += data[start:end][:1024]

    def _header_end(self) -> None:
        if self.part.header_name.lower() == b"content-disposition":
            self.part.disposition = self.part.header_value
        self.part.header_name, self.part.header_value = b"", b""

    def _headers_done(self) -> None:
        _, options = parse_options_header(self.part.disposition)
        self.part.name = options.get(b"name", b"").decode("utf-8", "replace")
        if b"filename" not in options:
            if len(self.fields) >= _FIELDS_MAX:
                raise Refused(Refusal.FORMULIR_TIDAK_TERBACA, detail="terlalu banyak kolom")
            return
        if self.door is None:  # a form that carries only a code
            raise Refused(Refusal.FORMULIR_TIDAK_DIKENAL)
        self.files += 1
        if self.files > 1 or self.part.name != FILE_FIELD:
            raise Refused(Refusal.FORMULIR_TIDAK_TERBACA, detail="hanya satu berkas")
        code = self.code or self.fields.get(CODE_FIELD)  # a code sent after it: none
        self.opd = self.door.opd_of(self.address, code)
        self.code = code
        self.ticket = self.door.ticket_for(self.opd)
        self.filename = options[b"filename"].decode("utf-8", "replace")
        self.part.filename = self.filename
        staging = self.door.desk.staging
        staging.mkdir(parents=True, exist_ok=True)
        self.staged = staging / uuid.uuid4().hex
        self.out = open(self.staged, "xb")  # noqa: SIM115 (closed in upload/discard)

    def _data(self, data: bytes, start: int, end: int) -> None:
        if self.part.filename is None:
            if len(self.part.data) < _FIELD_MAX:
                self.part.data += data[start:end][:_FIELD_MAX]
            return
        try:
            self.ticket.add(end - start)
        except QuotaFull as full:
            raise _over_quota(self.opd, full) from None
        self.out.write(data[start:end])
        self.size += end - start

    def _end(self) -> None:
        if self.part.filename is None and self.part.name:
            self.fields[self.part.name] = self.part.data.decode("utf-8", "replace")


async def _fields(request: Request, body: Body) -> dict[str, str]:
    """The text fields of a small form (urlencoded or multipart without files)."""
    kind, options = parse_options_header(request.headers.get("content-type", ""))
    if kind == b"multipart/form-data":
        taking = _Taking(None, "", None)
        await taking.read(body, options.get(b"boundary"))
        return taking.fields
    if kind not in (b"application/x-www-form-urlencoded", b""):
        raise Refused(Refusal.FORMULIR_TIDAK_DIKENAL)
    body.limit = min(body.limit, FORM_SLACK_BYTES)
    data = b"".join([chunk async for chunk in body.chunks()])
    return dict(parse_qsl(data.decode("utf-8", "replace"))[:_FIELDS_MAX])


def _over_quota(opd: Opd, full: QuotaFull) -> Refused:
    at, minutes = full.when()
    return Refused(Refusal.KUOTA_HABIS, opd_name=opd.nama, used=full.used, quota=full.quota,
                   at=at, wait=minutes)


def client_of(request: Request) -> str:
    return request.client.host if request.client else "-"

