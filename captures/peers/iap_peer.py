#!/usr/bin/python3
"""IAP (draft-ietf-idwg-iap-01) analyzer, proxy and manager peers for the sample captures.

Port 4720 (no IANA port was ever assigned; quartet's default). Loopback addresses double
as host names: manager 127.0.0.1, proxy 127.0.0.2, analyzer-as-listener 127.0.0.4.

Scenarios:
  proxy    analyzer -> proxy -> manager. The proxy appends `IAP/0.3 Via:` lines to the
           CONNECT request and to the response (draft 3.1, 4.4), then relays bytes blindly.
           Upgrade: TLS/1.0 -> 101, TLS handshake (analyzer is the TLS client, key log),
           channel setup (IAP-Version, IAP-Role: Sender), alerts with IDMEF XML bodies, with
           and without the blank line before the body, one alert of an unknown content type
           rejected with 415, then close_notify.
  refused  three refusals: the manager answers CONNECT with 403; the proxy sees its own name
           in a Via line and answers 502 (loop); the manager answers Upgrade with 500.
  reverse  the manager opens the TCP connection to the analyzer (draft 2, 6.1) and asks for
           IAP-Role: Receiver; the analyzer still is the TLS client (draft 3.2) and sends the
           alerts as requests.
"""
import argparse
import select
import socket
import ssl
import sys
import threading
import time

PORT = 4720
MANAGER, PROXY, ANALYZER_LISTEN = "127.0.0.1", "127.0.0.2", "127.0.0.4"
V = "IAP/0.3"
CRLF = "\r\n"


class Reader:
    """Buffered reads over a (possibly TLS) socket: lines and exact byte counts."""

    def __init__(self, sock):
        self.sock, self.buf = sock, b""

    def _fill(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise EOFError
        self.buf += chunk

    def line(self):
        while b"\r\n" not in self.buf:
            self._fill()
        ln, self.buf = self.buf.split(b"\r\n", 1)
        return ln.decode()

    def exact(self, n):
        while len(self.buf) < n:
            self._fill()
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def peek(self, n):
        while len(self.buf) < n:
            self._fill()
        return self.buf[:n]

    def head(self):
        """Lines up to the empty line that ends a setup message or response."""
        lines = []
        while True:
            ln = self.line()
            if ln == "":
                return lines
            lines.append(ln)

    def content(self):
        """An iap-content: headers, optional blank line, Content-Length body, CRLF CRLF."""
        hdrs = {}
        while True:
            ln = self.line()
            name, _, value = ln.partition(":")
            hdrs[name.strip().lower()] = value.strip()
            if name.strip().lower() == "content-length":
                break
        if self.peek(2) == b"\r\n":           # the draft's example has no blank line; HTTP has one
            self.exact(2)
        body = self.exact(int(hdrs["content-length"]))
        self.exact(4)                          # CRLF ending iap-content, CRLF ending iap-message
        return hdrs, body


def msg(*lines):
    return (CRLF.join(lines) + CRLF + CRLF).encode()


def alert(ctype, body, blank_line):
    head = "Content-Type: %s\r\nContent-Length: %d\r\n" % (ctype, len(body))
    return head.encode() + (b"\r\n" if blank_line else b"") + body + b"\r\n\r\n"


def idmef(ident, classification, source, target):
    return ("""<?xml version="1.0" encoding="UTF-8"?>
<IDMEF-Message version="0.1">
  <Alert ident="%s">
    <Analyzer analyzerid="sensor-7"/>
    <CreateTime ntpstamp="0xbc723b45.0xef449129">2026-11-23T20:45:00Z</CreateTime>
    <Source><Node><Address category="ipv4-addr"><address>%s</address></Address></Node></Source>
    <Target><Node><Address category="ipv4-addr"><address>%s</address></Address></Node></Target>
    <Classification origin="vendor-specific"><name>%s</name></Classification>
  </Alert>
</IDMEF-Message>""" % (ident, source, target, classification)).encode()


ALERTS = [
    ("application/x-idef-alert", idmef("a-0001", "port scan", "127.0.0.66", "127.0.0.1"), True),
    ("application/x-idef-alert", idmef("a-0002", "ssh brute force", "127.0.0.67", "127.0.0.1"), False),
    ("application/x-idef-alert", idmef("a-0003", "sql injection attempt", "127.0.0.68", "127.0.0.1"), True),
    ("application/x-snort-unified", b"\x00\x01\x02\x03 not IDMEF", False),   # rejected: 415
]


def tls_ctx(server, cert=None, key=None, keylog=None):
    if server:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(cert, key)
    else:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        ctx.keylog_filename = keylog
    return ctx


def listener(host):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((host, PORT))
    s.listen(4)
    return s


def dial(host, src=None):
    for _ in range(100):
        try:
            s = socket.create_connection((host, PORT), source_address=(src, 0) if src else None)
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            return s
        except ConnectionRefusedError:
            time.sleep(0.05)
    raise RuntimeError("cannot reach %s" % host)


def pause():
    time.sleep(0.02)


# ---------------------------------------------------------------- the secured part (both ends)
def send_alerts(t, r):
    for ctype, body, blank in ALERTS:
        pause()
        t.sendall(alert(ctype, body, blank))
        print("alert ->", r.head())


def receive_alerts(t, r, n):
    for _ in range(n):
        hdrs, body = r.content()
        pause()
        ok = hdrs.get("content-type") == "application/x-idef-alert" and body.startswith(b"<?xml")
        t.sendall(msg("%s %s" % (V, "200" if ok else "415")))


def close_tls(t):
    try:
        t.unwrap()
    except (ssl.SSLError, OSError):
        pass


# ---------------------------------------------------------------- manager
def manager(scenario, cert, key):
    if scenario == "reverse":
        s = dial(ANALYZER_LISTEN)
        r = Reader(s)
        s.sendall(msg("%s CONNECT analyzer.example" % V))
        print("connect ->", r.head())
        pause()
        s.sendall(msg("%s Upgrade: TLS/1.0" % V))
        print("upgrade ->", r.head())
        # the analyzer is the TLS client even though the manager opened the TCP connection
        t = tls_ctx(True, cert, key).wrap_socket(s, server_side=True)
        r = Reader(t)
        t.sendall(msg("%s IAP-Version: 0.3" % V, "%s IAP-Role: Receiver" % V))
        print("channel setup ->", r.head())
        receive_alerts(t, r, len(ALERTS))
        close_tls(t)
        s.close()
        return

    srv = listener(MANAGER)
    conns = 1 if scenario == "proxy" else 2
    for i in range(conns):
        c, _ = srv.accept()
        c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        r = Reader(c)
        req = r.head()
        pause()
        if scenario == "refused" and i == 0:
            c.sendall(msg("%s 403" % V))               # this manager does not serve that name
            c.close()
            continue
        c.sendall(msg("%s 200" % V))
        req = r.head()
        assert req[0].endswith("Upgrade: TLS/1.0"), req
        pause()
        if scenario == "refused":
            c.sendall(msg("%s 500" % V))               # not configured: no certificate yet
            c.close()
            continue
        c.sendall(msg("%s 101" % V))
        t = tls_ctx(True, cert, key).wrap_socket(c, server_side=True)
        r = Reader(t)
        r.head()                                       # channel setup
        pause()
        t.sendall(msg("%s 200" % V))
        receive_alerts(t, r, len(ALERTS))
        close_tls(t)
        c.close()
    srv.close()


# ---------------------------------------------------------------- proxy
def relay(a, b):
    socks = [a, b]
    while True:
        ready, _, _ = select.select(socks, [], [], 10)
        if not ready:
            return
        for s in ready:
            data = s.recv(65536)
            other = b if s is a else a
            if not data:
                try:
                    other.shutdown(socket.SHUT_WR)
                except OSError:
                    pass
                socks.remove(s)
                if not socks:
                    return
                continue
            other.sendall(data)


def proxy(scenario):
    srv = listener(PROXY)
    for _ in range(1):
        c, _ = srv.accept()
        c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        r = Reader(c)
        req = r.head()
        if any(ln == "%s Via: proxy.example" % V for ln in req[1:]):
            pause()
            c.sendall(msg("%s 502" % V))               # our own name already in Via: a loop
            c.close()
            continue
        up = dial(MANAGER, src=PROXY)
        up.sendall(msg(*(req + ["%s Via: proxy.example" % V])))
        ur = Reader(up)
        resp = ur.head()
        c.sendall(msg(*(resp + ["%s Via: proxy.example" % V])))
        # from here on the proxy is a transparent forwarder (draft 3.1)
        relay(c, up)
        c.close()
        up.close()
    srv.close()


# ---------------------------------------------------------------- analyzer (sensor)
def analyzer(scenario, keylog, cert, key):
    if scenario == "reverse":
        srv = listener(ANALYZER_LISTEN)
        c, _ = srv.accept()
        c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        r = Reader(c)
        r.head()
        pause()
        c.sendall(msg("%s 200" % V))
        r.head()
        pause()
        c.sendall(msg("%s 101" % V))
        t = tls_ctx(False, keylog=keylog).wrap_socket(c, server_hostname="manager.example")
        r = Reader(t)
        r.head()
        pause()
        t.sendall(msg("%s 200" % V))
        send_alerts(t, r)
        close_tls(t)
        c.close()
        srv.close()
        return

    if scenario == "refused":
        s = dial(MANAGER)                               # 1: straight to a manager that says 403
        s.sendall(msg("%s CONNECT other-manager.example" % V))
        print("connect ->", Reader(s).head())
        s.close()
        pause()
        s = dial(PROXY)                                 # 2: a Via loop, the proxy says 502
        s.sendall(msg("%s CONNECT manager.example" % V, "%s Via: proxy.example" % V))
        print("connect ->", Reader(s).head())
        s.close()
        pause()
        s = dial(MANAGER)                               # 3: CONNECT ok, Upgrade refused with 500
        r = Reader(s)
        s.sendall(msg("%s CONNECT manager.example" % V))
        print("connect ->", r.head())
        pause()
        s.sendall(msg("%s Upgrade: TLS/1.0" % V))
        print("upgrade ->", r.head())
        s.close()
        return

    s = dial(PROXY)
    r = Reader(s)
    s.sendall(msg("%s CONNECT manager.example" % V))
    print("connect ->", r.head())
    pause()
    s.sendall(msg("%s Upgrade: TLS/1.0" % V))
    print("upgrade ->", r.head())
    t = tls_ctx(False, keylog=keylog).wrap_socket(s, server_hostname="manager.example")
    r = Reader(t)
    t.sendall(msg("%s IAP-Version: 0.3" % V, "%s IAP-Role: Sender" % V))
    print("channel setup ->", r.head())
    send_alerts(t, r)
    close_tls(t)
    s.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--role", choices=["analyzer", "proxy", "manager"], required=True)
    ap.add_argument("--scenario", choices=["proxy", "refused", "reverse"], required=True)
    ap.add_argument("--keylog")
    ap.add_argument("--cert")
    ap.add_argument("--key")
    a = ap.parse_args()
    if a.role == "manager":
        manager(a.scenario, a.cert, a.key)
    elif a.role == "proxy":
        proxy(a.scenario)
    else:
        analyzer(a.scenario, a.keylog, a.cert, a.key)


if __name__ == "__main__":
    sys.exit(main())
