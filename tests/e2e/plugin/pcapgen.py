"""Minimal pcap writer for hand-built TCP conversations (stdlib only).

A Conversation emits a three-way handshake, data segments with correct sequence
and acknowledgement numbers (split or coalesced exactly as asked), and a FIN
exchange, so Wireshark's TCP reassembly sees a clean connection.
"""
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from tcp_frames import tcp_frame  # noqa: E402


class Pcap:
    def __init__(self, path):
        self.f = open(path, "wb")
        # Little-endian classic pcap, microsecond timestamps, LINKTYPE_ETHERNET.
        self.f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        self.usec = 1700000000 * 1000000  # integer microseconds: exact gaps

    def packet(self, frame, gap=0.001):
        self.usec += int(round(gap * 1e6))
        sec, usec = divmod(self.usec, 1000000)
        self.f.write(struct.pack("<IIII", sec, usec, len(frame), len(frame)))
        self.f.write(frame)

    def close(self):
        self.f.close()


class Conversation:
    CLIENT, SERVER = 0, 1

    def __init__(self, pcap, client, server):
        self.pcap = pcap
        self.ends = [client, server]  # (ip, port)
        self.seq = [1000, 5000]

    def _frame(self, side, flags, payload=b""):
        (sip, sport), (dip, dport) = self.ends[side], self.ends[1 - side]
        ack = self.seq[1 - side] if flags & 0x10 else 0
        return tcp_frame(sip, dip, sport, dport, self.seq[side], ack, flags, payload)

    def handshake(self):
        self.pcap.packet(self._frame(0, 0x02))
        self.seq[0] += 1
        self.pcap.packet(self._frame(1, 0x12))
        self.seq[1] += 1
        self.pcap.packet(self._frame(0, 0x10))
        return self

    def send(self, side, data, split=None, gap=0.001):
        """Sends data; split lists segment sizes (the rest goes in a last segment)."""
        sizes = list(split or [])
        chunks, pos = [], 0
        for n in sizes:
            chunks.append(data[pos:pos + n])
            pos += n
        if pos < len(data):
            chunks.append(data[pos:])
        for chunk in chunks:
            self.pcap.packet(self._frame(side, 0x18, chunk), gap)
            self.seq[side] += len(chunk)
        return self

    def client(self, data, **kw):
        return self.send(self.CLIENT, data, **kw)

    def server(self, data, **kw):
        return self.send(self.SERVER, data, **kw)

    def close(self):
        self.pcap.packet(self._frame(0, 0x11))
        self.seq[0] += 1
        self.pcap.packet(self._frame(1, 0x11))
        self.seq[1] += 1
        self.pcap.packet(self._frame(0, 0x10))


class TlsSession:
    """A genuine TLS 1.2 connection between two in-memory endpoints (Python's ssl
    over MemoryBIO), its records sent through a Conversation: the capture holds
    real TLS, and the client's key log lets Wireshark decrypt it."""

    def __init__(self, conv, certfile, keyfile, keylog):
        import ssl
        self.ssl = ssl
        self.conv = conv
        cctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        cctx.check_hostname = False
        cctx.verify_mode = ssl.CERT_NONE
        cctx.maximum_version = ssl.TLSVersion.TLSv1_2
        cctx.keylog_filename = keylog
        sctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        sctx.load_cert_chain(certfile, keyfile)
        self.c_in, self.c_out = ssl.MemoryBIO(), ssl.MemoryBIO()
        self.s_in, self.s_out = ssl.MemoryBIO(), ssl.MemoryBIO()
        self.client = cctx.wrap_bio(self.c_in, self.c_out, server_side=False)
        self.server = sctx.wrap_bio(self.s_in, self.s_out, server_side=True)

    def _pump(self):
        moved = False
        data = self.c_out.read()
        if data:
            self.conv.client(data)
            self.s_in.write(data)
            moved = True
        data = self.s_out.read()
        if data:
            self.conv.server(data)
            self.c_in.write(data)
            moved = True
        return moved

    def handshake(self):
        done = {self.client: False, self.server: False}
        for _ in range(20):
            for end in (self.client, self.server):
                if not done[end]:
                    try:
                        end.do_handshake()
                        done[end] = True
                    except self.ssl.SSLWantReadError:
                        pass
                self._pump()
            if all(done.values()) and not self._pump():
                return self
        raise RuntimeError("TLS handshake did not finish")

    def _drain(self, end):
        try:
            while end.read(65536):
                pass
        except self.ssl.SSLWantReadError:
            pass

    def send(self, side, *records, split=None):
        """Each element of records becomes one TLS record; all records of one call go
        out in one TCP send (split as in Conversation.send)."""
        end, out = (self.client, self.c_out) if side == 0 else (self.server, self.s_out)
        for r in records:
            end.write(r)
        data = out.read()
        self.conv.send(side, data, split=split)
        (self.s_in if side == 0 else self.c_in).write(data)
        self._drain(self.server if side == 0 else self.client)
        return self

    def client_send(self, *records, **kw):
        return self.send(0, *records, **kw)

    def server_send(self, *records, **kw):
        return self.send(1, *records, **kw)


def make_cert(directory):
    """A throwaway self-signed RSA certificate for the TLS captures."""
    import subprocess
    cert, key = directory + "/test-cert.pem", directory + "/test-key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj",
                    "/CN=quartet-test", "-days", "2", "-keyout", key, "-out", cert],
                   check=True, capture_output=True)
    return cert, key
