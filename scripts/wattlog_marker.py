"""wattlog_marker - send phase and request markers to wattlog-record.

Python standard library only.  Under `wattlog-record -- python app.py` the
process gets WATTLOG_MARKER_FD, a non-blocking pipe that never raises
SIGPIPE (its end is also a reader: the recorder may die first); each
marker is one line "@<CLOCK_MONOTONIC ns> <text>" written in one os.write(),
so the recorder places it at the instant it was sent.

    from wattlog_marker import marker

    with marker("prefill"):          # "begin prefill" ... "end prefill"
        run_prefill()
    marker.send("begin request 42")  # any one line

Without WATTLOG_MARKER_FD (not recorded) every call is a no-op.  A marker
is never allowed to block or break the workload: if the pipe is full or
gone, it is dropped and send() returns False.
"""
import contextlib
import os
import time

__all__ = ["marker", "send"]

_LINE_MAX = 4096  # PIPE_BUF: a line up to this long arrives whole
_fd = None
_looked = False


def _marker_fd():
    global _fd, _looked
    if not _looked:
        _looked = True
        v = os.environ.get("WATTLOG_MARKER_FD", "")
        _fd = int(v) if v.isdigit() else None
    return _fd


def send(text):
    """Send one marker line; True when written, False when dropped or not recorded."""
    fd = _marker_fd()
    if fd is None:
        return False
    text = str(text).replace("\n", " ")
    line = ("@%d %s" % (time.monotonic_ns(), text)).encode("utf-8", "replace")
    line = line[: _LINE_MAX - 1] + b"\n"
    try:
        return os.write(fd, line) == len(line)
    except OSError:  # full (BlockingIOError), closed, or not a pipe
        return False


class _Marker:
    """marker(name) is a context manager sending "begin name" / "end name";
    marker.send(text) sends one line."""

    send = staticmethod(send)

    @contextlib.contextmanager
    def __call__(self, name):
        send("begin %s" % name)
        try:
            yield
        finally:
            send("end %s" % name)


marker = _Marker()
