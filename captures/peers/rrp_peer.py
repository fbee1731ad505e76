#!/usr/bin/python3
"""RRP (RFC 2832, RFC 3632) registry server and registrar client for the sample captures.

The server greets with a banner block, authenticates SESSION (one retry: PRE -> WFR -> DIS
after a second failure), then executes one command at a time (WFC/EXE) against a small
in-memory registry and answers `NNN text`, attribute lines, `.`. The client scripts are
in SCENARIOS; each request waits for its response, as RFC 2832 asks of clients.

  --scenario full      every command (ADD, CHECK, DEL, DESCRIBE, MOD incl. `=` removal,
                       QUIT, RENEW, SESSION, STATUS, TRANSFER), a failed SESSION then a good
                       retry, and error responses (500, 504, 505, 506, 532, 536, 545, 547, 554)
  --scenario authfail  two failed SESSIONs: the server answers 530 twice and disconnects
  --scenario tls       the whole connection in TLS (port 648 as deployed); --keylog on the client
  --scenario rfc3632   over IPv6 (::1), an RRP 2.0.0 server: DESCRIBE says 2.0.0, a UTF-8 domain name
                       answered 510, IPv6 IPAddress values, MOD of a locked name server 557, a TRANSFER
                       cancelled by the requesting registrar (-Approve:No)
Loopback only.
"""
import argparse
import socket
import ssl
import sys
import time

HOST = "127.0.0.1"
V6 = "::1"
REGISTRAR, PASSWORD = "registrar-a", "correct-horse"
BANNER = ["Example Registry RRP Server version 1.1.0", "Build 2026-11-23 (quartet sample peer)", "."]


# ------------------------------------------------------------------------------------ server
class Registry:
    def __init__(self):
        self.domains = {"example.com": {"ns": ["ns1.example.com"], "status": ["ACTIVE"], "exp": 2027,
                                        "transfer": False}}
        self.nameservers = {"ns1.example.com": ["127.0.0.53"]}


def parse_request(lines):
    cmd = lines[0].strip().lower()
    ent, attrs, opts = None, [], []
    for ln in lines[1:]:
        if ln.startswith("-"):
            k, _, v = ln[1:].partition(":")
            opts.append((k.lower(), v))
        else:
            k, _, v = ln.partition(":")
            if k.lower() == "entityname":
                ent = v.lower()
            else:
                attrs.append((k.lower(), v))
    return cmd, ent, attrs, opts


def first(pairs, name):
    for k, v in pairs:
        if k == name:
            return v
    return None


OK = "200 Command completed successfully"


def execute(reg, cmd, ent, attrs, opts):
    """Returns the response as a list of lines (without the final '.')."""
    if cmd == "describe":
        return [OK, "protocol:RRP 1.1.0"]
    if cmd not in ("add", "check", "del", "mod", "renew", "status", "transfer"):
        return ["500 Invalid command name"]
    if ent is None:
        return ["508 Missing required entity"]
    if ent == "domain":
        name = first(attrs, "domainname")
        if not name:
            return ["504 Missing required attribute; DomainName"]
        name = name.lower()
        d = reg.domains.get(name)
        if cmd == "check":
            return ["211 Domain name not available" if d else "210 Domain name available"]
        if cmd == "add":
            if d:
                return ["554 Domain already registered"]
            period = first(opts, "period") or "1"
            if not period.isdigit():
                return ["505 Invalid attribute value syntax; Period"]
            if int(period) > 10:
                return ["506 Invalid option value; Period exceeds 10 years"]
            ns = [v.lower() for k, v in attrs if k == "nameserver"]
            reg.domains[name] = {"ns": ns, "status": ["ACTIVE"], "exp": 2026 + int(period), "transfer": False}
            return [OK, "registration expiration date:%d-11-23 20:40:00.0" % (2026 + int(period)), "status:ACTIVE"]
        if d is None:
            return ["545 Entity reference not found"]
        if cmd == "status":
            return ([OK] + ["nameserver:%s" % n for n in d["ns"]] +
                    ["registration expiration date:%d-11-23 20:40:00.0" % d["exp"],
                     "registrar:%s" % REGISTRAR, "registrar transfer date:2025-01-01 00:00:00.0"] +
                    ["status:%s" % s for s in d["status"]] +
                    ["created date:2020-02-02 02:02:02.0", "created by:%s" % REGISTRAR,
                     "updated date:2026-11-23 20:40:00.0", "updated by:%s" % REGISTRAR])
        if cmd == "mod":
            for k, v in attrs:
                if k == "nameserver" and v.endswith("="):
                    d["ns"] = [n for n in d["ns"] if n != v[:-1].lower()]
                elif k == "nameserver":
                    d["ns"].append(v.lower())
                elif k == "status" and v.endswith("="):
                    d["status"] = [s for s in d["status"] if s.lower() != v[:-1].lower()]
                elif k == "status":
                    d["status"].append(v)
            return [OK]
        if cmd == "renew":
            cur = first(opts, "currentexpirationyear")
            if cur is None:
                return ["509 Missing command option; CurrentExpirationYear"]
            if int(cur) != d["exp"]:
                return ["541 Invalid attribute value; CurrentExpirationYear"]
            d["exp"] += int(first(opts, "period") or "1")
            return [OK, "registration expiration date:%d-11-23 20:40:00.0" % d["exp"]]
        if cmd == "transfer":
            if first(opts, "approve") is not None:
                d["transfer"] = False
                return [OK]
            if d["transfer"]:
                return ["536 Domain already flagged for transfer"]
            d["transfer"] = True
            return [OK]
        if cmd == "del":
            del reg.domains[name]
            return [OK]
    if ent == "nameserver":
        name = (first(attrs, "nameserver") or "").lower()
        if not name:
            return ["504 Missing required attribute; NameServer"]
        ns = reg.nameservers.get(name)
        if cmd == "check":
            if ns:
                return ["213 Name server not available"] + ["ipAddress:%s" % a for a in ns]
            return ["212 Name server available"]
        if cmd == "add":
            reg.nameservers[name] = [v for k, v in attrs if k == "ipaddress"]
            return [OK]
        if ns is None:
            return ["545 Entity reference not found"]
        if cmd == "status":
            return ([OK, "nameserver:%s" % name] + ["ipaddress:%s" % a for a in ns] +
                    ["registrar:%s" % REGISTRAR, "created date:2020-02-02 02:02:02.0",
                     "created by:%s" % REGISTRAR])
        if cmd == "mod":
            new = first(attrs, "newnameserver")
            for k, v in attrs:
                if k == "ipaddress" and v.endswith("="):
                    ns[:] = [a for a in ns if a != v[:-1]]
                elif k == "ipaddress":
                    ns.append(v)
            if new:
                reg.nameservers[new.lower()] = reg.nameservers.pop(name)
            return [OK]
        if cmd == "del":
            if any(name in d["ns"] for d in reg.domains.values()):
                return ["532 Domain names linked with name server"]
            del reg.nameservers[name]
            return [OK]
        return ["501 Invalid command option"]
    return ["502 Invalid entity value"]


def read_block(f):
    """Reads request lines up to the '.' line; None at EOF."""
    lines = []
    while True:
        raw = f.readline()
        if not raw:
            return None
        ln = raw.decode("latin-1").rstrip("\r\n")     # 7-bit ASCII expected; 510 below otherwise
        if ln == ".":
            return lines
        lines.append(ln)


def send_block(sock, lines):
    sock.sendall(("\r\n".join(lines + ["."]) + "\r\n").encode("latin-1"))


LOCKED = {"ns1.example.com"}


def serve_one(conn, rfc3632=False):
    reg = Registry()
    f = conn.makefile("rb")
    banner = BANNER[:-1]
    if rfc3632:
        banner = [banner[0].replace("1.1.0", "2.0.0")] + banner[1:]
    send_block(conn, banner)
    failures, authed = 0, False
    while True:
        lines = read_block(f)
        if lines is None or not lines:
            return
        cmd, ent, attrs, opts = parse_request(lines)
        time.sleep(0.004 + 0.002 * len(lines))              # "executing" (EXE) takes a moment
        if not authed:
            if cmd != "session":
                send_block(conn, ["547 Invalid command sequence"])
                continue
            if first(opts, "id") == REGISTRAR and first(opts, "password") == PASSWORD:
                authed = True
                send_block(conn, [OK])
                continue
            failures += 1
            send_block(conn, ["530 Authentication failed"])
            if failures >= 2:                                # WFR -> DIS
                return
            continue
        if cmd == "quit":
            send_block(conn, ["220 Command completed successfully. Server closing connection"])
            return
        if cmd == "session":
            send_block(conn, ["547 Invalid command sequence"])
            continue
        if rfc3632 and any(ord(ch) > 0x7F for ln in lines for ch in ln):
            send_block(conn, ["510 Invalid encoding"])           # RFC 3632
            continue
        if rfc3632 and cmd == "describe":
            send_block(conn, [OK, "protocol:RRP 2.0.0"])
            continue
        if rfc3632 and cmd == "mod" and ent == "nameserver" and \
                (first(attrs, "nameserver") or "").lower() in LOCKED:
            send_block(conn, ["557 Name server locked"])          # RFC 3632
            continue
        if rfc3632 and cmd == "transfer" and (first(opts, "approve") or "").lower() == "no":
            send_block(conn, [OK])                                # requesting registrar cancels (3632)
            continue
        send_block(conn, execute(reg, cmd, ent, attrs, opts))


def server(port, connections, cert=None, key=None, host=HOST, rfc3632=False, any_tls=False):
    srv = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((host, port))
    srv.listen(4)
    ctx = None
    if cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(cert, key)
        if any_tls:  # whatever version and suite the client forces (make_tls.sh), TLS 1.0 included
            ctx.minimum_version = ssl.TLSVersion.TLSv1
            ctx.set_ciphers("ALL:@SECLEVEL=0")
    for _ in range(connections):
        c, _ = srv.accept()
        c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if ctx:
            c = ctx.wrap_socket(c, server_side=True)
        try:
            serve_one(c, rfc3632)
        finally:
            if ctx:
                try:
                    c.unwrap()
                except (ssl.SSLError, OSError):
                    pass
            c.close()


# ------------------------------------------------------------------------------------ client
def session(pw, new=None):
    r = ["session", "-Id:" + REGISTRAR, "-Password:" + pw]
    return r + (["-NewPassword:" + new] if new else [])


FULL = [
    ["check", "EntityName:Domain", "DomainName:example.net"],                  # before SESSION -> 547
    session("wrong-password"),                                                   # 530, retry allowed
    session(PASSWORD),
    ["describe", "-Target:Protocol"],
    ["CHECK", "EntityName:Domain", "DomainName:example.net"],                   # 210
    ["check", "EntityName:Domain", "DomainName:example.com"],                   # 211
    ["check", "EntityName:NameServer", "NameServer:ns1.example.com"],           # 213 + ipAddress
    ["check", "EntityName:NameServer", "NameServer:ns2.example.net"],           # 212
    ["add", "EntityName:NameServer", "NameServer:ns2.example.net", "IPAddress:127.0.0.54",
     "IPAddress:::1"],
    ["add", "EntityName:Domain", "DomainName:example.net", "-Period:2",
     "NameServer:ns1.example.com", "NameServer:ns2.example.net"],
    ["add", "EntityName:Domain", "DomainName:example.net", "-Period:2"],        # 554
    ["add", "EntityName:Domain", "DomainName:example.org", "-Period:five"],     # 505
    ["add", "EntityName:Domain", "DomainName:example.org", "-Period:99"],       # 506
    ["add", "EntityName:Domain", "-Period:1"],                                   # 504
    ["status", "EntityName:Domain", "DomainName:example.net"],
    ["status", "EntityName:NameServer", "NameServer:ns2.example.net"],
    ["mod", "EntityName:Domain", "DomainName:example.net", "NameServer:ns3.example.net",
     "NameServer:ns1.example.com=", "Status:clientHold"],
    ["mod", "EntityName:Domain", "DomainName:example.net", "Status:clientHold="],
    ["mod", "EntityName:NameServer", "NameServer:ns2.example.net", "NewNameServer:ns4.example.net",
     "IPAddress:127.0.0.55", "IPAddress:127.0.0.54="],
    ["renew", "EntityName:Domain", "DomainName:example.net", "-Period:1", "-CurrentExpirationYear:2028"],
    ["renew", "EntityName:Domain", "DomainName:example.net", "-Period:1", "-CurrentExpirationYear:2020"],
    ["transfer", "EntityName:Domain", "DomainName:example.com"],
    ["transfer", "EntityName:Domain", "DomainName:example.com"],                # 536
    ["transfer", "-Approve:Yes", "EntityName:Domain", "DomainName:example.com"],
    ["status", "EntityName:Domain", "DomainName:nosuch.example"],               # 545
    ["del", "EntityName:NameServer", "NameServer:ns1.example.com"],             # 532: example.com uses it
    ["del", "EntityName:NameServer", "NameServer:ns4.example.net"],
    ["del", "EntityName:NameServer", "NameServer:ns3.example.net"],             # 545 (never added)
    ["del", "EntityName:Domain", "DomainName:example.net"],
    ["frobnicate", "EntityName:Domain", "DomainName:example.net"],             # 500
    session(PASSWORD, new="battery-staple"),                                    # 547: already in session
    ["quit"],
]
AUTHFAIL = [session("guess-1"), session("guess-2")]
TLS = [
    session(PASSWORD),
    ["check", "EntityName:Domain", "DomainName:secure.example"],
    ["add", "EntityName:Domain", "DomainName:secure.example", "-Period:1", "NameServer:ns1.example.com"],
    ["status", "EntityName:Domain", "DomainName:secure.example"],
    ["quit"],
]
RFC3632 = [
    session(PASSWORD),
    ["describe", "-Target:Protocol"],                                            # RRP 2.0.0
    ["check", "EntityName:Domain", "DomainName:b\u00fccher.example"],            # UTF-8 bytes -> 510
    ["add", "EntityName:NameServer", "NameServer:ns6.example.net", "IPAddress:::1",
     "IPAddress:::ffff:127.0.0.53"],                                                    # IPv6 addresses (3632)
    ["mod", "EntityName:NameServer", "NameServer:ns1.example.com", "IPAddress:127.0.0.56"],  # 557
    ["transfer", "EntityName:Domain", "DomainName:example.com"],
    ["transfer", "-Approve:No", "EntityName:Domain", "DomainName:example.com"],   # cancelled by requester
    ["quit"],
]
SCENARIOS = {"full": [FULL], "authfail": [AUTHFAIL], "tls": [TLS], "rfc3632": [RFC3632]}


def client(port, script, keylog=None, host=HOST):
    s = socket.create_connection((host, port))
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    if keylog:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        ctx.keylog_filename = keylog
        s = ctx.wrap_socket(s, server_hostname="rrp.example")
    f = s.makefile("rb")
    banner = read_block(f)
    print("banner:", banner[0])
    for req in script:
        time.sleep(0.02)
        s.sendall(("\r\n".join(req + ["."]) + "\r\n").encode("utf-8"))   # UTF-8 only in the 510 case
        resp = read_block(f)
        if resp is None:
            print("server closed the connection")
            break
        print(req[0], "->", resp[0])
    if keylog:
        try:
            s.unwrap()
        except (ssl.SSLError, OSError):
            pass
    s.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--role", choices=["server", "client"], required=True)
    ap.add_argument("--scenario", choices=sorted(SCENARIOS), required=True)
    ap.add_argument("--port", type=int, default=648)
    ap.add_argument("--cert")
    ap.add_argument("--key")
    ap.add_argument("--keylog")
    ap.add_argument("--connections", type=int, help="server: connections to serve (default: the scenario's)")
    ap.add_argument("--any-tls", action="store_true",
                    help="server: accept TLS 1.0 and every cipher suite (for clients forcing one)")
    a = ap.parse_args()
    host = V6 if a.scenario == "rfc3632" else HOST
    if a.role == "server":
        server(a.port, a.connections or len(SCENARIOS[a.scenario]), a.cert, a.key, host, a.scenario == "rfc3632",
               a.any_tls)
    else:
        for script in SCENARIOS[a.scenario]:
            client(a.port, script, a.keylog, host)


if __name__ == "__main__":
    sys.exit(main())
