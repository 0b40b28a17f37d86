"""A local HTTP server laid out like the Hugging Face Hub's file endpoint
(`/{repo}/resolve/{revision}/{file}`), for the real download path (huggingface_hub pointed at
it with `endpoint=`). It serves real files, honours Range requests, and can misbehave on
purpose: drop the connection after some bytes once, or serve damaged bytes."""
from __future__ import annotations

import hashlib
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

COMMIT = "0123456789abcdef0123456789abcdef01234567"


class Hub:
    def __init__(self):
        self.files: dict[tuple[str, str], Path] = {}
        self.requests: list[tuple[str, str, str]] = []  # (method, path, Range header)
        self.drop_after: int | None = None  # close the connection after this many bytes, once
        self.corrupt = False  # flip the bytes of the body (the sha256 no longer matches)
        self.slow: float = 0.0  # seconds to wait between 1 MB chunks
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def add(self, repo: str, name: str, path: Path) -> None:
        self.files[(repo, name)] = Path(path)

    def __enter__(self) -> "Hub":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()

    def ranges(self) -> list[str]:
        return [r for method, _, r in self.requests if method == "GET"]

    def _handler(self):
        hub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def _file(self):
                match = re.fullmatch(r"/(.+?/.+?)/resolve/([^/]+)/(.+)", self.path.split("?")[0])
                return hub.files.get((match.group(1), match.group(3))) if match else None

            def _headers(self, path: Path, status: int, start: int = 0) -> None:
                size = path.stat().st_size
                self.send_response(status)
                self.send_header("X-Repo-Commit", COMMIT)
                self.send_header("ETag", f'"{_sha256(path)}"')
                self.send_header("Accept-Ranges", "bytes")
                self.send_header("Content-Length", str(size - start))
                if status == 206:
                    self.send_header("Content-Range", f"bytes {start}-{size - 1}/{size}")
                self.end_headers()

            def do_HEAD(self):
                hub.requests.append(("HEAD", self.path, self.headers.get("Range", "")))
                path = self._file()
                if path is None:
                    self.send_response(404)
                    self.send_header("X-Error-Code", "EntryNotFound")
                    self.end_headers()
                    return
                self._headers(path, 200)

            def do_GET(self):
                wanted = self.headers.get("Range", "")
                hub.requests.append(("GET", self.path, wanted))
                path = self._file()
                if path is None:
                    self.send_response(404)
                    self.end_headers()
                    return
                start = int(re.match(r"bytes=(\d+)-", wanted).group(1)) if wanted else 0
                self._headers(path, 206 if start else 200, start)
                try:
                    self._send(path, start)
                except (BrokenPipeError, ConnectionResetError):  # the client stopped reading (a cancel)
                    pass

            def _send(self, path: Path, start: int) -> None:
                sent = 0
                with path.open("rb") as handle:
                    handle.seek(start)
                    while block := handle.read(1024 * 1024):
                        if hub.corrupt:
                            block = bytes(b ^ 0xFF for b in block[:64]) + block[64:]
                        if hub.drop_after is not None and sent + len(block) > hub.drop_after:
                            self.wfile.write(block[: max(0, hub.drop_after - sent)])
                            hub.drop_after = None
                            self.close_connection = True
                            return
                        self.wfile.write(block)
                        sent += len(block)
                        if hub.slow:
                            import time

                            time.sleep(hub.slow)

        return Handler


_HASHES: dict[Path, str] = {}


def _sha256(path: Path) -> str:
    if path not in _HASHES:
        _HASHES[path] = hashlib.sha256(path.read_bytes()).hexdigest()
    return _HASHES[path]
