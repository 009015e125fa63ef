"""The web face of the upload desk (Starlette).

- `GET /`: the upload page (a file and the OPD's access code);
- `POST /unggah`: multipart fields `kode_akses` and `berkas`; the answer page, or with
  `Accept: application/json` the answer as JSON (`desk.Answer.to_json`);
- `POST /umpan-balik/{name}`: an upload's feedback workbook, for its OPD's code only
  (form field `kode_akses` or header `X-Kode-Akses`);
- `GET /papan`: the live status board (output/papan_status.html).

Refusals write nothing: a wrong or missing code (403; more than 10 wrong codes a minute
from one address: 429), no file or an empty one (400), a body over `[layanan] batas_mb`
(413, counted while it streams in, never buffered whole).
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.formparsers import FormParser, MultiPartException, MultiPartParser
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from .. import layout
from .desk import PENDING, UploadDesk
from .limits import DRAIN_FACTOR, FORM_SLACK_BYTES, TooLarge, WrongCodes, capped, drain
from .pages import page, security_headers

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class Refusal(Exception):
    def __init__(self, status_code: int, title: str, message: str):
        super().__init__(message)
        self.status_code, self.title, self.message = status_code, title, message


def make_app(desk: UploadDesk) -> Starlette:
    wrong_codes = WrongCodes()
    common = {"region": desk.cfg.region_name, "period": desk.cfg.period_label,
              "limit_mb": desk.cfg.upload_limit_mb}

    def refused(request: Request, refusal: Refusal) -> Response:
        if _wants_json(request):
            return JSONResponse({"status": "ditolak", "pesan": refusal.message},
                                refusal.status_code, headers=security_headers())
        return page("refused.html", refusal.status_code, title=refusal.title,
                    message=refusal.message, **common)

    def check_address(request: Request) -> str:
        address = request.client.host if request.client else "-"
        wait = wrong_codes.wait_seconds(address)
        if wait:
            raise Refusal(429, "Terlalu banyak percobaan",
                          "Terlalu banyak kode akses yang salah dari perangkat ini. Tunggu "
                          f"{wait} detik, lalu ketik kode akses OPD Anda dengan teliti (ada "
                          "di lembar Petunjuk template).")
        return address

    def opd_of(address: str, code: str | None):
        if not (code or "").strip():
            raise Refusal(403, "Kode akses kosong",
                          "Ketik kode akses OPD Anda (tertulis di lembar Petunjuk template, "
                          "misalnya ACEF-HJKM), lalu kirim lagi. Tidak ada berkas yang "
                          "disimpan.")
        opd = desk.opd_for(code)
        if opd is None:
            wrong_codes.record(address)
            raise Refusal(403, "Kode akses salah",
                          "Kode akses ini tidak dikenal. Periksa kembali kode di lembar "
                          "Petunjuk template OPD Anda (huruf dan angka, misalnya ACEF-HJKM), "
                          "atau minta kode kepada operator Diskominfo. Tidak ada berkas yang "
                          "disimpan.")
        return opd

    async def index(request: Request) -> Response:
        return page("index.html", **common)

    async def upload(request: Request) -> Response:
        form = None
        try:
            address = check_address(request)
            if not desk.watcher_alive():
                raise Refusal(503, "Pemeriksaan berhenti",
                              "Pemeriksaan berkas sedang berhenti. Beri tahu operator "
                              "Diskominfo; berkas Anda belum disimpan.")
            form = await _read_form(request, desk.limit_bytes)
            code = form.get("kode_akses")
            opd = opd_of(address, code if isinstance(code, str) else None)
            sent = form.get("berkas")
            if not isinstance(sent, UploadFile) or not (sent.filename or "").strip():
                raise Refusal(400, "Belum ada berkas",
                              "Pilih berkas template yang sudah diisi (.xlsx), lalu kirim "
                              "lagi.")
            if not sent.size:
                raise Refusal(400, "Berkas kosong",
                              f"Berkas '{sent.filename}' kosong (0 byte), mungkin gagal "
                              "tersimpan atau tersalin. Buka berkasnya di Excel, simpan, lalu "
                              "kirim lagi. Tidak ada berkas yang disimpan.")
            rel = await run_in_threadpool(desk.store, opd, sent.filename, sent.file)
        except Refusal as refusal:
            return refused(request, refusal)
        finally:
            if form is not None:
                await form.close()
        answer = await desk.answer(rel, opd, sent.filename)
        status = 202 if answer.status == PENDING else 200
        if _wants_json(request):
            return JSONResponse(answer.to_json(
                lambda name: str(request.url_for("feedback", name=name))), status,
                headers=security_headers())
        return page("answer.html", status, answer=answer, code=code, **common)

    async def feedback(request: Request) -> Response:
        try:
            address = check_address(request)
            code = request.headers.get("x-kode-akses")
            if code is None:
                form = await request.form(max_files=0, max_fields=5)
                code = form.get("kode_akses")
            opd = opd_of(address, code if isinstance(code, str) else None)
            path = desk.feedback_file(opd, request.path_params["name"])
            if path is None:
                raise Refusal(404, "Umpan balik tidak ada",
                              "Berkas ini tidak punya umpan balik untuk OPD Anda: berkasnya "
                              "tanpa masalah, bukan kiriman OPD Anda, atau sudah diganti "
                              "berkas yang lebih baru. Kirim berkas terbaru Anda untuk "
                              "mendapat umpan baliknya.")
        except Refusal as refusal:
            return refused(request, refusal)
        return FileResponse(path, media_type=XLSX, filename=path.name,
                            headers=security_headers())

    async def board(request: Request) -> Response:
        path = desk.ws.output / layout.BOARD_NAME
        if path.is_file():
            return FileResponse(path, media_type="text/html; charset=utf-8",
                                headers=security_headers())
        return HTMLResponse('<!DOCTYPE html><html lang="id"><head><meta charset="utf-8">'
                            '<meta http-equiv="refresh" content="2"></head><body>'
                            "Papan status sedang dibuat…</body></html>",
                            headers=security_headers())

    return Starlette(routes=[
        Route("/", index, methods=["GET"]),
        Route("/unggah", upload, methods=["POST"]),
        Route("/umpan-balik/{name}", feedback, methods=["POST"], name="feedback"),
        Route("/papan", board, methods=["GET"]),
    ])


async def _read_form(request: Request, limit: int) -> FormData:
    """The multipart form, parsed while it streams in (python-multipart through
    Starlette's parser); a body over the limit is refused as soon as it passes it."""
    cap = limit + FORM_SLACK_BYTES
    declared = request.headers.get("content-length", "")
    too_large = Refusal(413, "Berkas terlalu besar",
                        f"Berkas lebih besar dari {limit // (1024 * 1024)} MB dan tidak "
                        "disimpan. Template yang diisi biasanya di bawah 1 MB: hapus gambar "
                        "atau data tambahan, simpan sebagai .xlsx, lalu kirim lagi.")
    body = request.stream()
    if declared.isdigit() and int(declared) > cap:
        await drain(body, cap * DRAIN_FACTOR)
        raise too_large
    kind = request.headers.get("content-type", "")
    if "multipart/form-data" in kind:
        parser = MultiPartParser(request.headers, capped(body, cap), max_files=1, max_fields=5)
    elif "application/x-www-form-urlencoded" in kind:  # a form sent without any file
        parser = FormParser(request.headers, capped(body, cap))
    else:
        raise Refusal(400, "Formulir tidak dikenal",
                      "Kirim berkas lewat halaman unggah (formulir dengan berkas dan kode "
                      "akses).")
    try:
        return await parser.parse()
    except TooLarge:
        await drain(body, cap * DRAIN_FACTOR)
        raise too_large from None
    except MultiPartException as exc:
        raise Refusal(400, "Formulir tidak terbaca",
                      f"Kiriman tidak dapat dibaca ({exc}). Muat ulang halaman unggah lalu "
                      "kirim lagi.") from exc


def _wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")
