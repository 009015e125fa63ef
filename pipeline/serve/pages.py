"""The upload pages, rendered from Jinja2 templates (templates/*.html) with autoescaping:
file names, reasons and problem values are the participants' own text, never markup.

Each response carries a Content-Security-Policy: nothing is loaded from anywhere (the
hall may have no internet), and the one small inline script runs by its nonce.
"""

from __future__ import annotations

import secrets

import jinja2
from starlette.responses import HTMLResponse

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("pipeline.serve", "templates"),
    autoescape=True, trim_blocks=True, lstrip_blocks=True,
    undefined=jinja2.StrictUndefined,
)


def page(name: str, status_code: int = 200, **context) -> HTMLResponse:
    nonce = secrets.token_urlsafe(12)
    html = _ENV.get_template(name).render(nonce=nonce, **context)
    return HTMLResponse(html, status_code, headers=security_headers(nonce))


def security_headers(nonce: str | None = None) -> dict[str, str]:
    script = f"'nonce-{nonce}'" if nonce else "'none'"
    return {
        "Content-Security-Policy": (
            f"default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
            f"script-src {script}; form-action 'self'; base-uri 'none'; "
            "frame-ancestors 'none'"),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-store",
    }
