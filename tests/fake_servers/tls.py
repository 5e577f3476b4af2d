"""A real HTTPS server on 127.0.0.1 with a test CA made by trustme, for the pull tests.

``with serve_https(Handler) as server:`` starts a :class:`ThreadingHTTPServer` on a free port in
a daemon thread, serving TLS with a certificate for 127.0.0.1 and localhost signed by a CA that
exists only for this test. Clients trust it through ``server.ca_bundle`` (a PEM file), passed
as ``REQUESTS_CA_BUNDLE`` / ``SSL_CERT_FILE`` or a client's CA-bundle setting — never by turning
verification off. Every request is recorded in ``server.requests_log`` (method, path, headers
without ``Authorization``); the server stops and the CA file goes when the block ends.
"""

from __future__ import annotations

import shutil
import socket
import ssl
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import trustme

#: Headers never recorded: they carry the credentials the tests check never leak.
SECRET_HEADERS = frozenset({"authorization", "cookie"})


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class FakeServer:
    base_url: str
    ca_bundle: Path
    requests_log: list[RecordedRequest]

    def paths(self) -> list[str]:
        return [f"{entry.method} {entry.path}" for entry in self.requests_log]


class _TLSServer(ThreadingHTTPServer):
    daemon_threads = True
    context: ssl.SSLContext

    def get_request(self) -> tuple[Any, Any]:
        # The handshake happens in the request's own thread (on its first read), so a client
        # that never completes it cannot stall the accepting thread.
        raw, address = self.socket.accept()
        # Headers and body leave in separate writes; without this, Nagle's algorithm holds the
        # body until the client's delayed ACK (~40 ms a request).
        raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return self.context.wrap_socket(raw, server_side=True,
                                        do_handshake_on_connect=False), address

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # connections cut on purpose and refused handshakes are part of the tests


def _recording(handler_class: type[BaseHTTPRequestHandler],
               log: list[RecordedRequest]) -> type[BaseHTTPRequestHandler]:
    lock = threading.Lock()

    class Recording(handler_class):  # type: ignore[valid-type,misc]
        def parse_request(self) -> bool:
            if not super().parse_request():
                return False
            headers = {name: value for name, value in self.headers.items()
                       if name.lower() not in SECRET_HEADERS}
            with lock:
                log.append(RecordedRequest(self.command, self.path, headers))
            return True

        def log_message(self, format: str, *args: Any) -> None:
            pass  # quiet tests

    return Recording


@contextmanager
def serve_https(handler_class: type[BaseHTTPRequestHandler]) -> Iterator[FakeServer]:
    ca = trustme.CA()
    certificate = ca.issue_cert("127.0.0.1", "localhost")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    certificate.configure_cert(context)
    folder = Path(tempfile.mkdtemp(prefix="cfglint-fake-ca-"))
    ca_bundle = folder / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_bundle))
    log: list[RecordedRequest] = []
    server = _TLSServer(("127.0.0.1", 0), _recording(handler_class, log))
    server.context = context
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    port = server.server_address[1]
    try:
        yield FakeServer(f"https://127.0.0.1:{port}", ca_bundle, log)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
        shutil.rmtree(folder, ignore_errors=True)


def cut_connection(handler: BaseHTTPRequestHandler, partial_body: bytes = b'{"results": [') \
        -> None:
    """Answer 200 promising a long body, send a few bytes of it, then drop the connection."""
    handler.send_response(200)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", "65536")
    handler.end_headers()
    handler.wfile.write(partial_body)
    handler.wfile.flush()
    handler.close_connection = True
    with suppress(OSError):
        handler.connection.shutdown(socket.SHUT_RDWR)
    handler.connection.close()
