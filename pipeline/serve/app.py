"""The web face of the upload desk (Starlette).

- `GET /`: the upload page (the OPD's access code, then the file);
- `POST /unggah`: multipart fields `kode_akses` (or header `X-Kode-Akses`) then `berkas`;
  the answer page, or with `Accept: application/json` the answer as JSON
  (`desk.Answer.to_json`);
- `POST /umpan-balik/{name}`: an upload's feedback workbook, for its OPD's code only
  (form field `kode_akses` or header `X-Kode-Akses`);
- `GET /papan`: the live status board (output/papan_status.html).

Routes only say what they answer: every refusal is raised (`door.Refused`, or what
`limits` raises) and answered in one place, `_refused`, from the catalogue's `Refusal`
texts, as are the framework's own 400/404/405/500. `SecurityHeaders` wraps the whole
app, so every response, whoever made it, carries the same headers.
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import layout
from ..catalogue import Refusal
from ..write.board import with_stall
from . import limits
from .desk import PENDING, UploadDesk
from .door import Door, Refused
from .limits import FORM_SLACK_BYTES, Body, Stalled, TooLarge
from .pages import page, security_headers

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_BY_STATUS = {404: Refusal.HALAMAN_TIDAK_ADA, 405: Refusal.CARA_TIDAK_DIKENAL,
              413: Refusal.TERLALU_BESAR}


def make_app(desk: UploadDesk) -> ASGIApp:
    door = Door(desk)
    common = {"region": desk.cfg.region_name, "period": desk.cfg.period_label,
              "limit_mb": desk.cfg.upload_limit_mb}

    async def index(request: Request) -> Response:
        door.refuse_if_stalled()
        return page("index.html", **common)

    async def upload(request: Request) -> Response:
        body = _body(request, desk.limit_bytes + FORM_SLACK_BYTES)
        taken = await door.upload(request, body)
        try:
            rel = await run_in_threadpool(desk.store, taken.opd, taken.given_name,
                                          taken.staged)
        except BaseException:
            taken.ticket.cancel()
            raise
        answer = await desk.answer(rel, taken.opd, taken.given_name)
        status = 202 if answer.status == PENDING else 200
        if _wants_json(request):
            return JSONResponse(answer.to_json(desk.base_url(request.scope.get("server"))),
                                status)
        return page("answer.html", status, answer=answer, code=taken.code, **common)

    async def feedback(request: Request) -> Response:
        opd = await door.code(request, _body(request, FORM_SLACK_BYTES))
        path = desk.feedback_file(opd, request.path_params["name"])
        if path is None:
            raise Refused(Refusal.UMPAN_BALIK_TIDAK_ADA)
        return FileResponse(path, media_type=XLSX, filename=path.name)

    async def board(request: Request) -> Response:
        path = desk.ws.output / layout.BOARD_NAME
        stall = desk.stall()
        try:
            html = path.read_text("utf-8")
        except OSError:  # not written yet, or something in its way
            html = ('<!DOCTYPE html><html lang="id"><head><meta charset="utf-8">'
                    '<meta http-equiv="refresh" content="2"></head><body>'
                    "Papan status sedang dibuat…</body></html>")
        if stall is not None:
            html = with_stall(html, stall.notice)
        return HTMLResponse(html)

    async def refused(request: Request, exc: Exception) -> Response:
        """Every refusal, the framework's included, as the page or JSON says it."""
        refusal = _refusal_of(exc, desk.cfg.upload_limit_mb)
        body: Body | None = request.scope.get("masterplan.body")
        if body is not None and not body.done:
            await body.drain()  # the browser then reads the answer, not a reset
        if _wants_json(request):
            return JSONResponse({"status": "ditolak", "pesan": refusal.message},
                                refusal.refusal.status)
        return page("refused.html", refusal.refusal.status, title=refusal.refusal.title,
                    message=refusal.message, **common)

    app = Starlette(
        routes=[
            Route("/", index, methods=["GET"]),
            Route("/unggah", upload, methods=["POST"]),
            Route("/umpan-balik/{name}", feedback, methods=["POST"], name="feedback"),
            Route("/papan", board, methods=["GET"]),
        ],
        exception_handlers={Refused: refused, TooLarge: refused, Stalled: refused,
                            ClientDisconnect: refused, HTTPException: refused,
                            Exception: refused},
    )
    return SecurityHeaders(app)


def _body(request: Request, limit: int) -> Body:
    """The request's body, kept in its scope so a refusal can drain what is left."""
    body = Body(request.receive, limit)
    request.scope["masterplan.body"] = body
    return body


def _refusal_of(exc: Exception, limit_mb: int) -> Refused:
    if isinstance(exc, Refused):
        return exc
    if isinstance(exc, TooLarge):
        return Refused(Refusal.TERLALU_BESAR, limit_mb=limit_mb)
    if isinstance(exc, Stalled | ClientDisconnect):  # (a client gone reads nothing)
        return Refused(Refusal.KIRIMAN_TERHENTI, seconds=int(limits.STALL_SECONDS))
    if isinstance(exc, HTTPException):
        refusal = _BY_STATUS.get(exc.status_code, Refusal.PERMINTAAN_SALAH)
        return Refused(refusal, limit_mb=limit_mb)
    return Refused(Refusal.KESALAHAN_SERVER)


def _wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


class SecurityHeaders:
    """Adds the pages' security headers to every response that lacks them (the
    framework's own errors, files, JSON); a page's own, with its script nonce, stays."""

    def __init__(self, app: ASGIApp):
        self.app = app
        self.headers = [(k.lower().encode("latin-1"), v.encode("latin-1"))
                        for k, v in security_headers().items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []),
                                      *(h for h in self.headers if h[0] not in present)]
            await send(message)

        await self.app(scope, receive, send_with_headers)
