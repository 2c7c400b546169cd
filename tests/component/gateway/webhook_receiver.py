"""A real HTTPS webhook receiver on 127.0.0.1 for the webhook tests: its own
CA and server certificate (made with `cryptography`), the standard
library's HTTP server with TLS in a thread, the requests it got, and the
answers it gives (a script of status codes, then 200).

`verify` checks a Standard Webhooks signature written here from the
convention's text, not with the gateway's code: HMAC-SHA256 over
"{webhook-id}.{webhook-timestamp}.{body}" with the base64 key after whsec_,
base64 encoded, prefixed "v1,", several space-separated."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import ipaddress
import ssl
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


def make_certificates(directory: Path) -> tuple[Path, Path, Path]:
    """(CA bundle, server certificate, server key) files: a CA and a
    certificate it signed for 127.0.0.1 and localhost."""
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder()
        .subject_name(_name("Chorus test CA"))
        .issuer_name(_name("Chorus test CA"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name("receiver"))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    bundle, cert_file, key_file = (
        directory / "ca.pem",
        directory / "cert.pem",
        directory / "key.pem",
    )
    bundle.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return bundle, cert_file, key_file


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """Answers each POST with the next status of `script`, then 200."""

    server: ThreadingHTTPServer
    ca_bundle: Path
    script: list[int] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.server.server_address[1]}/hooks/chorus"

    def next_status(self) -> int:
        with self.lock:
            return self.script.pop(0) if self.script else 200

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def start_receiver(directory: Path) -> Receiver:
    bundle, cert, key = make_certificates(directory)
    receiver: Receiver | None = None

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (the http.server name)
            assert receiver is not None
            body = self.rfile.read(int(self.headers.get("content-length", "0")))
            headers = {k.lower(): v for k, v in self.headers.items()}
            with receiver.lock:
                receiver.received.append(Received(self.path, headers, body))
            status = receiver.next_status()
            self.send_response(status)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            return  # quiet

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    receiver = Receiver(server, bundle)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return receiver


def expected_signature(secret: str, received: Received) -> str:
    key = base64.b64decode(secret.split("_", 1)[1])
    message_id = received.headers["webhook-id"]
    timestamp = received.headers["webhook-timestamp"]
    signed = message_id.encode() + b"." + timestamp.encode() + b"." + received.body
    mac = hmac.new(key, signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(mac).decode()


def verify(secret: str, received: Received) -> bool:
    """True when one of the signatures sent is `secret`'s (constant time)."""
    wanted = expected_signature(secret, received)
    sent = received.headers.get("webhook-signature", "").split(" ")
    return any(hmac.compare_digest(wanted, s) for s in sent)
