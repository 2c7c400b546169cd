"""A real HTTP server in a thread that publishes a key set the test can
change (rotation), an OIDC discovery document and a client-credentials
token endpoint, and counts the requests it gets."""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from chorus_identity.keys import Jwks


class Provider:
    def __init__(self) -> None:
        self.jwks: Jwks = {"keys": []}
        self.failing = False  # answer 503 to everything (a provider blip)
        self.hits: Counter[str] = Counter()
        self.token_lifetime = 300
        self.tokens_issued = 0
        self.url = ""
        self.claimed_issuer = ""  # what discovery says the issuer is (default: the real one)

    @property
    def issuer(self) -> str:
        return f"{self.url}/realms/test"

    def answer(self, path: str, body: bytes) -> tuple[int, dict[str, Any]]:
        self.hits[path] += 1
        if self.failing:
            return 503, {"error": "unavailable"}
        if path == "/realms/test/.well-known/openid-configuration":
            return 200, {
                "issuer": self.claimed_issuer or self.issuer,
                "jwks_uri": f"{self.issuer}/certs",
                "token_endpoint": f"{self.issuer}/token",
            }
        if path == "/realms/test/certs":
            return 200, self.jwks
        if path == "/realms/test/token" and b"grant_type=client_credentials" in body:
            self.tokens_issued += 1
            token = f"token-{self.tokens_issued}"
            return 200, {"access_token": token, "expires_in": self.token_lifetime}
        return 404, {"error": "not found"}


@contextmanager
def serving() -> Iterator[Provider]:
    provider = Provider()

    class Handler(BaseHTTPRequestHandler):
        def _reply(self, body: bytes) -> None:
            status, document = provider.answer(self.path, body)
            data = json.dumps(document).encode()
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            self._reply(b"")

        def do_POST(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            self._reply(self.rfile.read(length))

        def log_message(self, format: str, *args: Any) -> None:
            pass  # quiet test output

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    provider.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield provider
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
