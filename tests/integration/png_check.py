#!/usr/bin/env python3
"""png_check.py PNG WIDTH HEIGHT: checks that a screenshot is a PNG of that
size, not blank, and shows the colours of the statistics' charts (the bars,
the histogram bins, the backlog line). Standard library only."""
import struct
import sys
import zlib

CHART_COLOURS = {"bars": (0x3b, 0x6e, 0xa8), "bins": (0xd9, 0x82, 0x2b), "line": (0xb0, 0x30, 0x30)}


def fail(msg):
    print("png_check: " + msg)
    sys.exit(1)


def read(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        fail("not a PNG")
    pos, idat, ihdr = 8, [], None
    while pos < len(data):
        (n,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        pos += 12 + n
    if ihdr is None:
        fail("no IHDR")
    return ihdr, zlib.decompress(b"".join(idat))


def rows(ihdr, raw):
    w, h, depth, ctype = ihdr[0], ihdr[1], ihdr[2], ihdr[3]
    if depth != 8 or ctype not in (2, 6):
        fail("unexpected PNG type %d/%d" % (depth, ctype))
    bpp = 3 if ctype == 2 else 4
    stride = w * bpp
    prev = bytearray(stride)
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        if f == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 255
        elif f == 2:
            line = bytearray((a + b) & 255 for a, b in zip(line, prev))
        elif f == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + prev[i]) >> 1)) & 255
        elif f == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b = prev[i]
                c = prev[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pr = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pr) & 255
        yield line, bpp
        prev = line


def main():
    path, want_w, want_h = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    ihdr, raw = read(path)
    if (ihdr[0], ihdr[1]) != (want_w, want_h):
        fail("size %dx%d, wanted %dx%d" % (ihdr[0], ihdr[1], want_w, want_h))
    colours, seen = set(), {k: 0 for k in CHART_COLOURS}
    for line, bpp in rows(ihdr, raw):
        px = set(bytes(line[i:i + 3]) for i in range(0, len(line), bpp))
        colours |= px
        for name, rgb in CHART_COLOURS.items():
            if bytes(rgb) in px:
                seen[name] += 1
    if len(colours) < 16:
        fail("only %d colours: blank page" % len(colours))
    missing = [k for k, v in seen.items() if v == 0]
    if missing:
        fail("no pixel of the colour of: " + ", ".join(missing))
    print("png_check: %d colours; rows with bars %d, bins %d, line %d" %
          (len(colours), seen["bars"], seen["bins"], seen["line"]))


main()
