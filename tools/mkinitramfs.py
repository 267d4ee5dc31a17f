#!/usr/bin/env python3
"""Write a Linux initramfs (cpio "newc", uncompressed) from a list of entries.

    mkinitramfs.py OUT ENTRY...
      dir:PATH                 a directory (mode 0755)
      file:PATH=SRC[:MODE]     a file copied from SRC (mode octal, default 0644)
      link:PATH=TARGET         a symbolic link

Used for dom0's initramfs and the toolstack's boot tests; no cpio binary needed.
"""
import os
import sys

TRAILER = "TRAILER!!!"


def header(ino, mode, size, name, nlink=1):
    fields = [ino, mode, 0, 0, nlink, 0, size, 0, 0, 0, 0, len(name) + 1, 0]
    return ("070701" + "".join("%08X" % f for f in fields)).encode()


def pad4(n):
    return b"\0" * ((4 - n % 4) % 4)


def entry(out, ino, mode, name, data=b""):
    name = name.lstrip("/")
    hdr = header(ino, mode, len(data), name) + name.encode() + b"\0"
    out.write(hdr + pad4(len(hdr)) + data + pad4(len(data)))


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    with open(argv[1], "wb") as out:
        ino = 1
        for spec in argv[2:]:
            kind, _, rest = spec.partition(":")
            ino += 1
            if kind == "dir":
                entry(out, ino, 0o040755, rest)
            elif kind == "file":
                path, _, src = rest.partition("=")
                src, _, mode = src.partition(":")
                with open(src, "rb") as f:
                    entry(out, ino, 0o100000 | int(mode or "644", 8), path, f.read())
            elif kind == "link":
                path, _, target = rest.partition("=")
                entry(out, ino, 0o120777, path, target.encode())
            else:
                sys.exit(f"mkinitramfs: bad entry '{spec}'")
        entry(out, 0, 0, TRAILER)


if __name__ == "__main__":
    main(sys.argv)
