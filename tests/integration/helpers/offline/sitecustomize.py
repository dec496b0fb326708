"""Network guard for the reliability tests: no Python process may reach beyond loopback.

Python imports `sitecustomize` at start-up from the first folder on sys.path that has one, so putting
this folder on PYTHONPATH guards the run and every Python child it starts (dbt is a Python program).
Each process logs that it is guarded; each attempt to resolve or connect to a non-loopback address is
logged with a short stack and refused, so a test can assert that none happened and show who tried.
Unix sockets and loopback addresses are allowed: they never leave the machine.
"""

from __future__ import annotations

import errno
import ipaddress
import json
import os
import socket
import sys
import traceback

_LOG = os.environ.get("NETGUARD_LOG")
_LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}


def _command() -> list[str]:
    try:  # the whole command line; sys.argv is still ["-m"] while site runs
        with open("/proc/self/cmdline", "rb") as cmdline:
            return [arg.decode("utf-8", "replace") for arg in cmdline.read().split(b"\0") if arg][:6]
    except OSError:
        return sys.argv[:6]


def _write(entry: dict) -> None:
    if not _LOG:
        return
    entry = {"pid": os.getpid(), "command": _command(), **entry}
    with open(_LOG, "a", encoding="utf-8") as log:
        log.write(json.dumps(entry, default=str) + "\n")


def _is_loopback(host: object) -> bool:
    if host is None:
        return True  # getaddrinfo(None, port): the local wildcard, not a remote host
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    name = str(host).strip("[]").lower()
    if name in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


def _refuse(kind: str, target: object) -> None:
    _write({"kind": kind, "target": target, "stack": traceback.format_stack()[:-2]})
    message = f"network access blocked by the test ({kind} {target!r})"
    if kind.startswith(("getaddrinfo", "gethostby")):
        raise socket.gaierror(socket.EAI_NONAME, message)  # what callers of a resolver catch
    raise OSError(errno.ENETUNREACH, message)


def _guard_address(kind: str, sock: socket.socket, address: object) -> None:
    if sock.family not in (socket.AF_INET, socket.AF_INET6):
        return  # AF_UNIX and friends stay on the machine
    host = address[0] if isinstance(address, tuple) and address else address
    if not _is_loopback(host):
        _refuse(kind, address)


_connect = socket.socket.connect
_connect_ex = socket.socket.connect_ex
_sendto = socket.socket.sendto
_getaddrinfo = socket.getaddrinfo
_gethostbyname = socket.gethostbyname
_gethostbyname_ex = socket.gethostbyname_ex
_gethostbyaddr = socket.gethostbyaddr


def connect(self, address):
    _guard_address("connect", self, address)
    return _connect(self, address)


def connect_ex(self, address):
    _guard_address("connect_ex", self, address)
    return _connect_ex(self, address)


def sendto(self, data, *args):
    _guard_address("sendto", self, args[-1] if args else None)
    return _sendto(self, data, *args)


def getaddrinfo(host, *args, **kwargs):
    if not _is_loopback(host):
        _refuse("getaddrinfo", host)
    return _getaddrinfo(host, *args, **kwargs)


def gethostbyname(host):
    if not _is_loopback(host):
        _refuse("gethostbyname", host)
    return _gethostbyname(host)


def gethostbyname_ex(host):
    if not _is_loopback(host):
        _refuse("gethostbyname_ex", host)
    return _gethostbyname_ex(host)


def gethostbyaddr(host):
    if not _is_loopback(host):
        _refuse("gethostbyaddr", host)
    return _gethostbyaddr(host)


socket.socket.connect = connect
socket.socket.connect_ex = connect_ex
socket.socket.sendto = sendto
socket.getaddrinfo = getaddrinfo
socket.gethostbyname = gethostbyname
socket.gethostbyname_ex = gethostbyname_ex
socket.gethostbyaddr = gethostbyaddr
_write({"kind": "guarded"})
