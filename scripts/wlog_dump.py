#!/usr/bin/env python3
"""wlog_dump.py - an independent reader of wattlog traces (.wlog, version 1).

Written from include/wattlog/trace_format.h alone (Python 3 standard
library, its own CRC32C), to prove the specification complete and to check
the C reader.  It writes the same CSV as `wattlog export csv`:

    wlog_dump.py [-o OUT] FILE           CSV: time [s], one column per channel
    wlog_dump.py --records FILE          one line per record

CSV layout: one row per SAMPLE record; `time [s]` = (t_ns - origin) / 1e9,
origin = start_monotonic_ns of the META records before the first
time-stamped record, else that record's t_ns; one column per channel in
order of declaration, headed `name [unit]` (`name` when the unit is
empty), prefixed by `device ` when the
file names several devices, and by `source/` where headers still collide;
cells raw * scale printed with %.17g; empty where a sample has no value.

Damaged blocks, torn tails, sequence gaps and malformed records are listed
on stderr; exit status 0 clean, 1 damage found, 2 not a readable trace.
"""
import argparse
import struct
import sys

FILE_MAGIC = b"WLOG"
BLOCK_MAGIC = b"WBLK"
MAX_PAYLOAD = 16 << 20
REC_META, REC_CHANNEL, REC_SAMPLE, REC_MARKER, REC_SYNC, REC_LOG = 1, 2, 3, 4, 5, 6


def _crc_table():
    table = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        table.append(c)
    return table


CRC_TABLE = _crc_table()


def crc32c(data, crc=0):
    """CRC32C: reflected 0x82F63B78, init and final xor 0xFFFFFFFF."""
    crc ^= 0xFFFFFFFF
    t = CRC_TABLE
    for b in data:
        crc = (crc >> 8) ^ t[(crc ^ b) & 0xFF]
    return crc ^ 0xFFFFFFFF


class NotATrace(Exception):
    pass


class Trace:
    """Walks the blocks and records of one file; damage collects in .damage
    as (offset, length, what)."""

    def __init__(self, data, name):
        self.data = data
        self.name = name
        self.damage = []
        self.channels = {}  # id -> dict
        self.undeclared = set()
        n = len(data)
        if n == 0:
            raise NotATrace("not a wattlog trace: '%s': empty file" % name)
        if data[:4] != FILE_MAGIC[:min(n, 4)]:
            raise NotATrace("not a wattlog trace: '%s': bad magic at offset 0" % name)
        if n >= 8 and data[4:8] == b"\x0a\x0b\x0c\x0d":
            raise NotATrace("not a wattlog trace: '%s': big-endian byte order mark" % name)
        if n > 4 and data[4:8] != b"\x0d\x0c\x0b\x0a"[:min(n, 8) - 4]:
            raise NotATrace("not a wattlog trace: '%s': bad byte order mark at offset 4" % name)
        if n < 16:
            self.version = (1, 0)
            self.start = n
            self.damage.append((0, n, "torn tail: file header cut off"))
            return
        self.version = struct.unpack_from("<HH", data, 8)
        if self.version[0] != 1:
            raise NotATrace("unsupported trace version %d.%d in '%s'"
                            % (self.version[0], self.version[1], name))
        self.start = 16

    def _good_block(self, off):
        """(payload length or 0, reason)."""
        d = self.data
        left = len(d) - off
        if left < 16:
            if d[off:off + 4] != BLOCK_MAGIC[:min(left, 4)]:
                return 0, "bad block magic"
            return 0, "torn tail"
        if d[off:off + 4] != BLOCK_MAGIC:
            return 0, "bad block magic"
        length, _seq, crc = struct.unpack_from("<III", d, off + 4)
        if length == 0 or length > MAX_PAYLOAD:
            return 0, "bad block length"
        if length > left - 16:
            return 0, "torn tail"
        if crc32c(d[off + 16:off + 16 + length], crc32c(d[off:off + 12])) != crc:
            return 0, "checksum mismatch"
        return length, ""

    def _resync(self, frm):
        d = self.data
        while frm < len(d):
            q = d.find(BLOCK_MAGIC, frm)
            if q < 0:
                return len(d)
            if self._good_block(q)[0]:
                return q
            frm = q + 1
        return len(d)

    def blocks(self):
        """Yields (payload offset, payload end) of each good block."""
        d = self.data
        pos, want, damaged = self.start, 0, False
        while pos < len(d):
            length, why = self._good_block(pos)
            if not length:
                nxt = self._resync(pos + 1)
                second = d.find(FILE_MAGIC + b"\x0d\x0c\x0b\x0a\x01\x00", pos, nxt)
                if second >= 0 and second + 16 <= len(d):
                    raise NotATrace("'%s' offset %d: a second trace header: two traces "
                                    "concatenated are not one run (split the file at this "
                                    "offset)" % (self.name, second))
                if nxt == len(d) and why == "torn tail":
                    self.damage.append((pos, nxt - pos, "torn tail: block cut off"))
                elif nxt == len(d):
                    self.damage.append((pos, nxt - pos, why + "; nothing readable after it"))
                else:
                    self.damage.append((pos, nxt - pos, why))
                damaged = True
                pos = nxt
                continue
            seq = struct.unpack_from("<I", d, pos + 8)[0]
            if seq != want and not damaged:
                self.damage.append((pos, 0, "sequence gap: block %d where %d was expected"
                                    % (seq, want)))
            want = (seq + 1) & 0xFFFFFFFF
            damaged = False
            yield pos + 16, pos + 16 + length
            pos += 16 + length

    def records(self):
        """Yields (kind, offset, fields) of every readable, known record."""
        d = self.data
        for rp, end in self.blocks():
            while rp < end:
                if end - rp < 8 or struct.unpack_from("<I", d, rp + 4)[0] > end - rp - 8:
                    self.damage.append((rp, end - rp, "record runs past the end of its block"))
                    break
                kind, _flags, blen = struct.unpack_from("<HHI", d, rp)
                body = d[rp + 8:rp + 8 + blen]
                rec = self._decode(kind, body, rp)
                if rec is not None:
                    yield kind, rp, rec
                rp += 8 + blen

    def _bad(self, off, body, what):
        self.damage.append((off, 8 + len(body), what))

    def _decode(self, kind, b, off):
        if kind == REC_META:
            if len(b) < 2:
                return self._bad(off, b, "malformed meta record")
            n, at, kv = struct.unpack_from("<H", b)[0], 2, []
            for _ in range(2 * n):
                s, at = _str16(b, at)
                if s is None:
                    return self._bad(off, b, "malformed meta record")
                kv.append(s)
            return list(zip(kv[0::2], kv[1::2]))
        if kind == REC_CHANNEL:
            if len(b) < 20:
                return self._bad(off, b, "channel record too short")
            cid, ckind, ctype, wrap, scale = struct.unpack_from("<HBBQd", b)
            at, strs = 20, []
            for _ in range(4):
                s, at = _str16(b, at)
                if s is None:
                    return self._bad(off, b, "channel record too short")
                strs.append(s)
            if cid == 0xFFFF or ctype > 2 or ckind > 1:
                return self._bad(off, b, "bad channel record")
            ch = dict(id=cid, kind=ckind, type=ctype, wrap=wrap, scale=scale,
                      source=strs[0], name=strs[1], unit=strs[2], device=strs[3])
            # version 1.1: u8 quantity, str16 component (absent in 1.0;
            # quantity 0: the writer stated no meaning)
            comp, _ = _str16(b, at + 1) if len(b) - at >= 3 else (None, None)
            if comp is not None:
                ch.update(quantity=b[at], component=comp)
            self.channels[cid] = ch
            return ch
        if kind == REC_SAMPLE:
            if len(b) < 8 or (len(b) - 8) % 10:
                return self._bad(off, b, "malformed sample record")
            t = struct.unpack_from("<Q", b)[0]
            vals = []
            for at in range(8, len(b), 10):
                cid = struct.unpack_from("<H", b, at)[0]
                ch = self.channels.get(cid)
                if ch is None:
                    if cid not in self.undeclared:
                        self.undeclared.add(cid)
                        self._bad(off, b, "sample lists undeclared channel %d "
                                  "(its values are dropped)" % cid)
                    continue
                fmt = "<d" if ch["type"] == 0 else "<Q" if ch["type"] == 1 else "<q"
                vals.append((cid, struct.unpack_from(fmt, b, at + 2)[0]))
            if len(b) > 8 and not vals:
                return None
            return dict(t=t, vals=vals)
        if kind == REC_MARKER:
            if len(b) < 12:
                return self._bad(off, b, "marker record too short")
            t, flags = struct.unpack_from("<QI", b)
            return dict(t=t, flags=flags, text=b[12:])
        if kind == REC_SYNC:
            if len(b) < 16:
                return self._bad(off, b, "sync record too short")
            mono, real = struct.unpack_from("<QQ", b)
            return dict(t=mono, real=real)
        if kind == REC_LOG:
            if len(b) < 9:
                return self._bad(off, b, "log record too short")
            return dict(t=struct.unpack_from("<Q", b)[0], level=b[8], text=b[9:])
        return None  # unknown kind: skipped


def _str16(b, at):
    if len(b) - at < 2:
        return None, at
    n = struct.unpack_from("<H", b, at)[0]
    if len(b) - at - 2 < n:
        return None, at
    return b[at + 2:at + 2 + n], at + 2 + n


def fmt_num(v):
    if v != v:
        return "nan"
    if v in (float("inf"), float("-inf")):
        return "inf" if v > 0 else "-inf"
    return "%.17g" % v


def csv_field(s):
    if any(c in s for c in b',"\r\n'):
        return b'"' + s.replace(b'"', b'""') + b'"'
    return s


def headers(chans):
    devs = {c["device"] for c in chans if c["device"]}
    several = len(devs) > 1
    hdr = []
    for c in chans:
        pre = c["device"] + b" " if several and c["device"] else b""
        unit = b" [" + c["unit"] + b"]" if c["unit"] else b""
        hdr.append(pre + c["name"] + unit)
    out = []
    for i, h in enumerate(hdr):
        if any(j != i and hdr[j] == h for j in range(len(hdr))):
            h = chans[i]["source"] + b"/" + h
        out.append(h)
    return out


def scan(tr):
    """Pass 1: channels in order of declaration, and the time origin."""
    order, origin, start = [], None, None
    for kind, _off, rec in tr.records():
        if kind == REC_META:
            for k, v in rec:
                if k == b"start_monotonic_ns":
                    start = int(v) if v[:1].isdigit() and v.isdigit() else None
        elif kind == REC_CHANNEL:
            if rec["id"] not in order:
                order.append(rec["id"])
        elif origin is None:
            origin = start if start is not None else rec["t"]
    return order, origin or 0


def signed64(x):
    return x - (1 << 64) if x >= 1 << 63 else x


def write_csv(data, name, out):
    tr = Trace(data, name)
    order, origin = scan(tr)
    chans = dict(tr.channels)
    tr = Trace(data, name)  # pass 2, fresh state
    col = {cid: i for i, cid in enumerate(order)}
    out.write(b"time [s]")
    for h in headers([chans[c] for c in order]):
        out.write(b"," + csv_field(h))
    out.write(b"\n")
    for kind, _off, rec in tr.records():
        if kind != REC_SAMPLE:
            continue
        cells = [b""] * len(order)
        for cid, raw in rec["vals"]:
            ch = tr.channels[cid]
            cells[col[cid]] = fmt_num(float(raw) * ch["scale"]).encode()
        t = signed64((rec["t"] - origin) % (1 << 64)) / 1e9
        out.write(fmt_num(t).encode() + b"".join(b"," + c for c in cells) + b"\n")
    return tr.damage


def print_records(data, name, out):
    tr = Trace(data, name)
    names = {1: "meta", 2: "channel", 3: "sample", 4: "marker", 5: "sync", 6: "log"}
    for kind, off, rec in tr.records():
        out.write(("%d %s %r\n" % (off, names[kind], rec)).encode())
    return tr.damage


def main():
    ap = argparse.ArgumentParser(description="independent wattlog trace reader")
    ap.add_argument("file")
    ap.add_argument("-o", "--output")
    ap.add_argument("--records", action="store_true", help="print records instead of CSV")
    a = ap.parse_args()
    try:
        with open(a.file, "rb") as f:
            data = f.read()
    except OSError as e:
        print("wlog_dump: cannot open '%s': %s" % (a.file, e.strerror), file=sys.stderr)
        return 2
    out = open(a.output, "wb") if a.output else sys.stdout.buffer
    try:
        dmg = (print_records if a.records else write_csv)(data, a.file, out)
    except NotATrace as e:
        print("wlog_dump: %s" % e, file=sys.stderr)
        return 2
    finally:
        if a.output:
            out.close()
    for off, length, what in dmg:
        print("wlog_dump: warning: '%s' offset %d: %s (%d bytes skipped)"
              % (a.file, off, what, length), file=sys.stderr)
    return 1 if dmg else 0


if __name__ == "__main__":
    sys.exit(main())
