"""A real `masterplan serve` for tests: a subprocess on a free port of this machine."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from pipeline import layout
from pipeline import workspace as workspace_mod
from pipeline.config import Config

ROOT = Path(__file__).resolve().parent.parent
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class Server:
    """`masterplan serve --port 0 --host 127.0.0.1` in `ws`, until stop()."""

    def __init__(self, ws: workspace_mod.Workspace, timeout: float = 60,
                 host: str = "127.0.0.1"):
        self.ws = ws
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "COLUMNS": "200"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "pipeline", "serve", "--workspace", str(ws.root),
             "--port", "0", "--host", host],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, cwd=ROOT)
        self.lines: list[str] = []
        deadline = time.monotonic() + timeout
        self.url = ""
        port = None
        while time.monotonic() < deadline and port is None:
            line = self.process.stdout.readline()
            if not line:
                raise RuntimeError("serve ended: " + "".join(self.lines))
            self.lines.append(line)
            found = re.search(r"http://[^/\s]+:(\d+)/", line)
            if found:
                port = found.group(1)
        while "Ctrl-C" not in self.lines[-1]:  # every address printed
            self.lines.append(self.process.stdout.readline())
        self.url = f"http://127.0.0.1:{port}/"
        self.client = httpx.Client(base_url=self.url, timeout=60)

    def codes(self) -> dict[str, str]:
        return json.loads((self.ws.state / "akses.json").read_text("utf-8"))

    def upload(self, path: Path | None, code: str | None, name: str | None = None,
               json_answer: bool = True, content: bytes | None = None,
               source: str | None = None) -> httpx.Response:
        """Hand in a file; from `source` (another loopback address, e.g. '127.0.0.7'),
        as another device of the hall would, else from this test's own client."""
        data = {} if code is None else {"kode_akses": code}
        files = None
        if path is not None or content is not None:
            body = path.read_bytes() if content is None else content
            files = {"berkas": (name or (path.name if path else "berkas.xlsx"), body, XLSX)}
        headers = {"Accept": "application/json"} if json_answer else {}
        if source is None:
            return self.client.post("/unggah", data=data, files=files, headers=headers)
        with self.client_from(source) as client:
            return client.post("/unggah", data=data, files=files, headers=headers)

    def client_from(self, source: str) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=60,
                            transport=httpx.HTTPTransport(local_address=source))

    def uploads(self) -> list[str]:
        folder = self.ws.inbox / layout.UPLOAD_DIR
        return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []

    def stop(self) -> str:
        self.client.close()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
        rest = self.process.stdout.read()
        self.process.stdout.close()
        return "".join(self.lines) + rest


def workspace_with(tmp: Path, cfg_text: str | None = None) -> workspace_mod.Workspace:
    return workspace_mod.init(tmp, config_text=cfg_text)


def config_text_with(extra: str) -> str:
    from pipeline import config as config_mod

    return config_mod.default_text().replace("batas_mb = 20", extra)


def limited(cfg: Config) -> int:
    return cfg.upload_limit_mb * 1024 * 1024
