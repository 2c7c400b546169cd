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

host = "127.0.0.1"
if len(sys.argv) >= 3 and sys.argv[1] == "--host":
    host = sys.argv[2]
    # APy's parse_args() takes sys.argv[1:] as a default argument, evaluated
    # when apertium_apy.apy is imported: strip our option before that import.
    del sys.argv[1:3]

import tornado.tcpserver  # noqa: E402
from apertium_apy import apy  # noqa: E402

_original_bind = tornado.tcpserver.TCPServer.bind


def _bind(self, port, address=None, *args, **kwargs):
    return _original_bind(self, port, address or host, *args, **kwargs)


tornado.tcpserver.TCPServer.bind = _bind

if __name__ == "__main__":
    apy.main()
