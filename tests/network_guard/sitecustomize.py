"""Loaded by a subprocess under test (via PYTHONPATH): records and refuses every network connection.

Unix-domain sockets are local and allowed; any attempt on an Internet socket, or any name lookup,
is appended to the file named by TONY_NETWORK_LOG and then fails.
"""

import os
import socket
import traceback

_log_path = os.environ["TONY_NETWORK_LOG"]


def _refuse(what: str) -> None:
    with open(_log_path, "a") as log:
        log.write(f"{what}\n{''.join(traceback.format_stack(limit=8))}\n")
    raise OSError(f"network access refused by the test guard: {what}")


_connect = socket.socket.connect
_connect_ex = socket.socket.connect_ex


def _guarded_connect(self, address):
    if self.family == socket.AF_UNIX:
        return _connect(self, address)
    _refuse(f"connect {address!r}")


def _guarded_connect_ex(self, address):
    if self.family == socket.AF_UNIX:
        return _connect_ex(self, address)
    _refuse(f"connect_ex {address!r}")


def _guarded_getaddrinfo(host, *args, **kwargs):
    _refuse(f"getaddrinfo {host!r}")


socket.socket.connect = _guarded_connect
socket.socket.connect_ex = _guarded_connect_ex
socket.getaddrinfo = _guarded_getaddrinfo
