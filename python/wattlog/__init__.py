"""wattlog - request and phase markers for wattlog-record (standard library only).

    import wattlog

    with wattlog.request(42, model="llama", tokens_in=128) as r:
        with wattlog.phase("prefill"):      # ID: the request open in this context
            prefill()
        with wattlog.phase("decode", 42):   # or given
            n = decode()
        r.set(tokens_out=n)                 # goes on the end marker

sends "begin request 42 model=llama tokens_in=128", "begin prefill 42", ...,
"end request 42 tokens_out=N" (see README, Markers and Requests).  Each line
is stamped at the source with CLOCK_MONOTONIC ("@<ns> text") and written in
one os.write(), so lines from many threads never mix (a line is at most
4096 bytes, PIPE_BUF).  The current request lives in a contextvars.ContextVar,
so threads and asyncio tasks each see their own.

Where the lines go: WATTLOG_MARKER_FD, the pipe wattlog-record gives the
command it runs; else the FIFO of `wattlog-record --marker-fifo PATH`, from
configure(fifo=PATH) or WATTLOG_MARKER_FIFO=PATH.  With neither, every call
does nothing.  A marker never blocks nor breaks the workload: a full pipe
(EAGAIN), a recorder gone (EPIPE) or any other write error drops the line
silently and send() returns False.
"""
import contextvars
import os
import threading
import time

__all__ = ["request", "phase", "send", "configure", "enabled", "current_request"]

_LINE_MAX = 4096  # PIPE_BUF: a line up to this long arrives whole
_lock = threading.Lock()
_fd = None        # where lines go, None = nowhere
_resolved = False
_fifo = None
_current = contextvars.ContextVar("wattlog_request", default=None)


def _now_ns():
    try:
        return time.clock_gettime_ns(time.CLOCK_MONOTONIC)
    except AttributeError:  # not on this platform: the same clock on Linux
        return time.monotonic_ns()


def _open_fifo(path):
    try:
        return os.open(path, os.O_WRONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError:  # no reader yet (ENXIO), no such FIFO: markers off
        return None


def _resolve():
    global _fd, _resolved
    with _lock:
        if _resolved:
            return _fd
        v = os.environ.get("WATTLOG_MARKER_FD", "")
        if v.isdigit():
            _fd = int(v)
        else:
            path = _fifo or os.environ.get("WATTLOG_MARKER_FIFO")
            _fd = _open_fifo(path) if path else None
        _resolved = True
        return _fd


def configure(fifo=None, fd=None):
    """Send markers to fd, or to the FIFO at path fifo (wattlog-record
    --marker-fifo PATH), instead of what the environment says; with neither,
    back to the environment.  True when markers will be sent."""
    global _fd, _resolved, _fifo
    with _lock:
        _fifo = fifo
        _fd = fd if fd is not None else _open_fifo(fifo) if fifo is not None else None
        _resolved = fd is not None or fifo is not None
    return enabled()


def enabled():
    """Whether markers are sent (a recorder's pipe or FIFO is known)."""
    return _resolve() is not None


def _word(v):
    """A value as one word of the marker grammar: blanks become '_'."""
    if isinstance(v, bool):
        v = int(v)
    s = repr(v) if isinstance(v, float) else str(v)
    return "_".join(s.split()) or "_"


def send(text):
    """Send one marker line; True when written, False when dropped or not recorded."""
    fd = _fd if _resolved else _resolve()
    if fd is None:
        return False
    line = ("@%d %s" % (_now_ns(), " ".join(str(text).split()))).encode("utf-8", "replace")
    line = line[: _LINE_MAX - 1] + b"\n"
    try:
        return os.write(fd, line) == len(line)
    except OSError:  # EAGAIN (full), EPIPE (recorder gone), EBADF: dropped
        return False


def _marker(verb, label, rid, attrs):
    words = [verb, _word(label)]
    if rid is not None:
        words.append(_word(rid))
    words += ["%s=%s" % (_word(k), _word(v)) for k, v in attrs.items() if v is not None]
    return send(" ".join(words))


def current_request():
    """The ID of the request open in this thread or task, or None."""
    return _current.get()


class request:
    """`with wattlog.request(id, **attrs) as r:` sends "begin request ID
    k=v ..." and, at the end, "end request ID" with the attributes given to
    r.set(...) (and status=error when the block raised, unless set)."""

    def __init__(self, id, **attrs):
        self.id = _word(id)
        self.attrs = attrs
        self.end_attrs = {}
        self._token = None

    def set(self, **attrs):
        """Attributes for the end marker (tokens_out=..., status=...)."""
        self.end_attrs.update(attrs)

    def __enter__(self):
        self._token = _current.set(self.id)
        _marker("begin", "request", self.id, self.attrs)
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None:
            self.end_attrs.setdefault("status", "error")
        _marker("end", "request", self.id, self.end_attrs)
        _current.reset(self._token)
        return False

    async def __aenter__(self):
        return self.__enter__()

    async def __aexit__(self, exc_type, exc, tb):
        return self.__exit__(exc_type, exc, tb)


class phase:
    """`with wattlog.phase(label, id=None):` sends "begin LABEL ID" ...
    "end LABEL ID"; id defaults to the request open in this context (no ID
    outside any request)."""

    def __init__(self, label, id=None, **attrs):
        self.label = label
        self.id = _word(id) if id is not None else _current.get()
        self.attrs = attrs
        self.end_attrs = {}

    def set(self, **attrs):
        self.end_attrs.update(attrs)

    def __enter__(self):
        _marker("begin", self.label, self.id, self.attrs)
        return self

    def __exit__(self, exc_type, exc, tb):
        _marker("end", self.label, self.id, self.end_attrs)
        return False

    async def __aenter__(self):
        return self.__enter__()

    async def __aexit__(self, exc_type, exc, tb):
        return self.__exit__(exc_type, exc, tb)
