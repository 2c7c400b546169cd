#!/usr/bin/env python3
"""Health probe for the local Kafka nodes: send one Metadata request.

    probe.py HOST:PORT [--brokers N]

Exit 0 when the broker answers and (with --brokers) its metadata lists at
least N live brokers; print "brokers=<ids> controller=<id>".

Standard library only, so kafka.sh can check health before the project's
virtualenv exists and without starting a JVM per check. It speaks Metadata v4
(non-flexible encoding, still supported by Kafka 4.x): request header v1,
an empty topic list (we only want the broker list), no auto-creation.
"""

import argparse
import socket
import struct
import sys

API_METADATA = 3
VERSION = 4


def _read_exact(sock: socket.socket, n: int) -> bytes:
    buf = b""
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise ConnectionError("connection closed by broker")
        buf += chunk
    return buf


def metadata(host: str, port: int, timeout: float) -> tuple[list[int], int]:
    client_id = b"chorus-probe"
    body = struct.pack(">hhih", API_METADATA, VERSION, 1, len(client_id)) + client_id
    body += struct.pack(">i?", 0, False)  # topics: empty array; allow_auto_topic_creation
    with socket.create_connection((host, port), timeout=timeout) as sock:
        sock.sendall(struct.pack(">i", len(body)) + body)
        (size,) = struct.unpack(">i", _read_exact(sock, 4))
        resp = _read_exact(sock, size)
    pos = 4 + 4  # correlation id, throttle_time_ms

    def i32() -> int:
        nonlocal pos
        (v,) = struct.unpack_from(">i", resp, pos)
        pos += 4
        return v

    def string() -> str | None:
        nonlocal pos
        (n,) = struct.unpack_from(">h", resp, pos)
        pos += 2
        if n < 0:
            return None
        s = resp[pos : pos + n].decode()
        pos += n
        return s

    brokers = []
    for _ in range(i32()):
        brokers.append(i32())
        string()  # host
        i32()  # port
        string()  # rack
    string()  # cluster id
    controller = i32()
    return sorted(brokers), controller


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("address", help="HOST:PORT of one broker")
    ap.add_argument("--brokers", type=int, default=1, help="minimum live brokers expected")
    ap.add_argument("--timeout", type=float, default=3.0)
    args = ap.parse_args()
    host, _, port = args.address.rpartition(":")
    try:
        brokers, controller = metadata(host, int(port), args.timeout)
    except (OSError, struct.error, ConnectionError) as exc:
        print(f"no answer from {args.address}: {exc}", file=sys.stderr)
        return 1
    print(f"brokers={','.join(map(str, brokers))} controller={controller}")
    return 0 if len(brokers) >= args.brokers else 1


if __name__ == "__main__":
    sys.exit(main())
