"""wlog_write.py - writes wattlog traces for the end-to-end tests, from the
specification in include/wattlog/trace_format.h alone (independently of the C
writer), so a test can hold content the recorder would never write: binary
marker text, counters that never change, two file headers in one file.

    import wlog_write as W
    t = W.Trace()                       # file header, version 1.0
    t.meta({"start_monotonic_ns": "1000000000"})
    t.channel(1, "rapl", "package-0", "uJ", "package-0", kind=W.COUNTER,
              type=W.U64, wrap=2**32)
    t.sample(1_001_000_000, [(1, 25000)])
    t.marker(1_500_000_000, b"begin \\xff")
    open("x.wlog", "wb").write(t.bytes())

Records are packed into one block per flush() (bytes() flushes the last).
"""
import struct
import sys
import os

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                "scripts"))
from wlog_dump import crc32c  # noqa: E402  (the CRC32C of the independent reader)

GAUGE, COUNTER = 0, 1
F64, U64, I64 = 0, 1, 2
META, CHANNEL, SAMPLE, MARKER, SYNC, LOG = 1, 2, 3, 4, 5, 6


def header(minor=0):
    return b"WLOG" + struct.pack("<IHHI", 0x0A0B0C0D, 1, minor, 0)


def _str16(s):
    b = s.encode() if isinstance(s, str) else s
    return struct.pack("<H", len(b)) + b


class Trace:
    def __init__(self, minor=0):
        self.out = bytearray(header(minor))
        self.recs = bytearray()
        self.seq = 0

    def _rec(self, kind, body):
        self.recs += struct.pack("<HHI", kind, 0, len(body)) + body

    def meta(self, kv):
        body = struct.pack("<H", len(kv))
        for k, v in kv.items():
            body += _str16(k) + _str16(v)
        self._rec(META, body)

    def channel(self, cid, source, name, unit, device, kind=GAUGE, type=F64, wrap=0,
                scale=1.0, quantity=None, component=None):
        """A version 1.0 channel record, or 1.1 with quantity (and component)."""
        body = struct.pack("<HBBQd", cid, kind, type, wrap, scale)
        body += _str16(source) + _str16(name) + _str16(unit) + _str16(device)
        if quantity is not None:
            body += struct.pack("<B", quantity) + _str16(component or "")
        self._rec(CHANNEL, body)

    def sample(self, t_ns, values):
        """values: [(id, number)]; an int is written as u64, a float as f64."""
        body = struct.pack("<Q", t_ns)
        for cid, v in values:
            body += struct.pack("<H", cid)
            body += struct.pack("<d", v) if isinstance(v, float) else struct.pack("<Q", v)
        self._rec(SAMPLE, body)

    def marker(self, t_ns, text, flags=0):
        self._rec(MARKER, struct.pack("<QI", t_ns, flags) +
                  (text.encode() if isinstance(text, str) else text))

    def flush(self):
        if not self.recs:
            return
        h = b"WBLK" + struct.pack("<II", len(self.recs), self.seq)
        crc = crc32c(bytes(self.recs), crc32c(h))
        self.out += h + struct.pack("<I", crc) + self.recs
        self.recs = bytearray()
        self.seq += 1

    def bytes(self):
        self.flush()
        return bytes(self.out)
