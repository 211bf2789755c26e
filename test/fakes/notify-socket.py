#!/usr/bin/env python3
"""A stand-in for systemd's notify socket: receives sd_notify datagrams, prints each on one line,
and closes any file descriptor passed with them (systemd-notify's BARRIER=1 waits for that close).
Usage: notify-socket.py PATH"""
import array, os, socket, sys

path = sys.argv[1]
sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
sock.bind(path)
print("LISTENING", flush=True)
while True:
    data, ancillary, _flags, _addr = sock.recvmsg(4096, socket.CMSG_SPACE(16 * 4))
    for level, kind, payload in ancillary:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds = array.array("i")
            fds.frombytes(payload[: len(payload) - (len(payload) % fds.itemsize)])
            for fd in fds:
                os.close(fd)
    print(data.decode("utf-8", "replace").replace("\n", " | "), flush=True)
