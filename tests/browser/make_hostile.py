#!/usr/bin/python3
"""A capture whose decoded values try to break out of the HTML report: "</script>",
"<!--", "<script>", quotes, control bytes, U+2028, invalid UTF-8 -- in RRP command
names and attributes, an IAP host, an SP body shown as text and the RRP banner.
The browser test checks that none of it runs and that it is shown as text.

    make_hostile.py OUT.pcap"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e", "analyzer"))
from pcapgen import MS, Conn, Pcap  # noqa: E402
import scenarios  # noqa: E402

T0 = scenarios.T0
# Each one sets window.__pwned if it ever runs.
EVIL = [
    b"</script><script>window.__pwned=1</script>",
    b"</SCRIPT ><img src=x onerror=\"window.__pwned=2\">",
    b"<!--<script>window.__pwned=3</script>-->",
    b"'\"><svg onload=window.__pwned=4>",
    b"\x00\x01\x1b[31m\x7f ctl \xe2\x80\xa8 \xe2\x80\xa9 bad utf8 \xff\xfe\xc3\x28 &amp; &lt;/script&gt;",
]


def main():
    p = Pcap()
    c = Conn(p, ("10.9.0.1", 40001), ("10.9.0.2", 648))
    t = c.handshake(T0)
    c.send("s", b"Evil Registry " + EVIL[0] + b"\r\n.\r\n", t + 1 * MS)
    for i, e in enumerate(EVIL):
        # an unknown command named by the hostile text, then a known one with it as a value
        c.send("c", e.replace(b"\r", b"").replace(b"\n", b"") + b"\r\n.\r\n", t + (2 + 4 * i) * MS)
        c.send("s", b"500 Invalid command name " + e + b"\r\n.\r\n", t + (3 + 4 * i) * MS)
        c.send("c", b"check\r\nEntityName:Domain\r\nDomainName:" + e + b"\r\n.\r\n", t + (4 + 4 * i) * MS)
        c.send("s", b"505 Invalid attribute value syntax; " + e + b"\r\n.\r\n", t + (5 + 4 * i) * MS)
    c.close(t + 40 * MS)

    iap = Conn(p, ("10.9.0.3", 40002), ("10.9.0.4", 4720))
    t = iap.handshake(T0 + 50 * MS)
    iap.send("c", b"IAP/0.3 CONNECT " + EVIL[1].replace(b" ", b"") + b"\r\n\r\n", t + 1 * MS)
    iap.send("s", b"IAP/0.3 200\r\n\r\n", t + 2 * MS)
    iap.close(t + 10 * MS)

    sp = Conn(p, ("10.9.0.5", 40003), ("10.9.0.6", 5555))
    t = sp.handshake(T0 + 70 * MS)
    sp.send("c", scenarios.sp_header(0x30), t + 1 * MS)
    sp.send("s", scenarios.sp_header(0x31), t + 1 * MS)
    for i, e in enumerate(EVIL):
        rid = (0x80000001 + i).to_bytes(4, "big")
        sp.send("c", scenarios.sp_msg(rid + e), t + (2 + 2 * i) * MS)
        sp.send("s", scenarios.sp_msg(rid + e[::-1]), t + (3 + 2 * i) * MS)
    sp.close(t + 20 * MS)
    os.makedirs(os.path.dirname(os.path.abspath(sys.argv[1])), exist_ok=True)  # ctest may run this first
    p.write(sys.argv[1])


if __name__ == "__main__":
    main()
