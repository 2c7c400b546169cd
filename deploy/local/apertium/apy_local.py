"""Run Apertium APy bound to one address (default 127.0.0.1).

APy 0.11 has no option for the listen address: its main() calls
HTTPServer.bind(port), which listens on every interface. This launcher patches
tornado's TCPServer.bind to pass the address, then hands over to APy's own
main() with the remaining arguments unchanged.

Usage: python3 apy_local.py [--host ADDR] <apertium-apy options...>
Run it with the interpreter that has Debian's python3-apertium-apy and
python3-tornado (/usr/bin/python3), not a virtualenv's.
"""
import sys

import tornado.tcpserver
from apertium_apy import apy


def main() -> None:
    args = sys.argv[1:]
    host = "127.0.0.1"
    if len(args) >= 2 and args[0] == "--host":
        host, args = args[1], args[2:]

    original_bind = tornado.tcpserver.TCPServer.bind

    def bind(self, port, address=None, *rest, **kwargs):
        return original_bind(self, port, address or host, *rest, **kwargs)

    tornado.tcpserver.TCPServer.bind = bind
    # APy's parse_args() reads sys.argv itself.
    sys.argv = [sys.argv[0]] + args
    apy.main()


if __name__ == "__main__":
    main()
