"""Runs the real tshark with the plugin installed under a throwaway HOME.

tshark ignores personal plugins when run as root, so as root it runs as nobody
(uid/gid 65534) through setpriv; the HOME must therefore be readable by nobody.
"""
import functools
import json
import os
import re
import subprocess

NOBODY = 65534


@functools.lru_cache(maxsize=None)
def wireshark_series():
    """major.minor of the tshark on PATH ("4.0", "4.4", ...): Wireshark loads plugins only
    from a folder named after it."""
    out = subprocess.run(["tshark", "--version"], capture_output=True, text=True, check=True).stdout
    m = re.search(r"\b(\d+\.\d+)\.\d+", out.splitlines()[0] if out else "")
    if not m:
        raise RuntimeError("cannot read the version in `tshark --version`: %r" % out[:200])
    return m.group(1)


def personal_plugin_dir(home):
    """Where that tshark looks for a user's epan plugins."""
    return os.path.join(home, ".local/lib/wireshark/plugins", wireshark_series(), "epan")


# ---- Where Wireshark versions differ in what the tests see, and why (the one place) ----
# The tests and goldens were written on 4.0; on later versions they compare in 4.0's terms:
#  1. `-T fields` prints a boolean field as 1/0 in 4.0 and as True/False from 4.2 on
#     (TShark.fields turns True/False back into 1/0 for FT_BOOLEAN fields).
#  2. tshark exits 2 when a capture is cut short in the middle of a packet up to 4.4, and
#     14 (WS_EXIT_READ_ERROR) from 4.6 on; the message and the packets printed are the same.

def at_least(major, minor):
    have = tuple(int(x) for x in wireshark_series().split("."))
    return have >= (major, minor)


def has_flow_graph():
    """The plugin registers its Flow Graph only where it knows the sequence-analysis
    layout: Wireshark 4.0 (declared in plugin/sequence_analysis_compat.hpp) or a
    libwireshark-dev that ships epan/sequence_analysis.h (Debian's 4.4 and 4.6 do not)."""
    return not at_least(4, 2)


def cut_short_exit():
    """tshark's exit status for a capture cut short in the middle of a packet."""
    return 14 if at_least(4, 6) else 2


def exit_as_in_4_0(rc):
    """tshark's exit status as Wireshark 4.0 would give it (see 2. above)."""
    return 2 if rc == cut_short_exit() else rc


# Expert info severities and groups as `-T fields` prints them (epan/proto.h).
PI_CHAT, PI_NOTE, PI_WARN, PI_ERROR = 0x00200000, 0x00400000, 0x00600000, 0x00800000
PI_SEQUENCE, PI_PROTOCOL, PI_UNDECODED, PI_MALFORMED = 0x02000000, 0x09000000, 0x05000000, 0x07000000


def _multi(pairs):
    """JSON objects from tshark repeat keys (one "sp" per PDU in a frame): keep
    every value, as a list when a key repeats."""
    out = {}
    for k, v in pairs:
        if k in out:
            if not isinstance(out[k], list) or not getattr(out[k], "_multi", False):
                out[k] = _Multi([out[k]])
            out[k].append(v)
        else:
            out[k] = v
    return out


class _Multi(list):
    _multi = True


def all_of(layer):
    """A layer value that may be one object or several (repeated key) as a list."""
    return list(layer) if isinstance(layer, _Multi) else [layer]


class Failure(AssertionError):
    pass


def check(cond, what):
    if not cond:
        raise Failure(what)


def check_eq(got, want, what):
    if got != want:
        raise Failure("%s: expected %r, got %r" % (what, want, got))


class TShark:
    def __init__(self, home):
        self.home = home

    def run_raw(self, *args):
        """(return code, stdout, stderr) of tshark, without judging them."""
        cmd = ["tshark", *args]
        if os.geteuid() == 0:
            cmd = ["setpriv", "--reuid=%d" % NOBODY, "--regid=%d" % NOBODY, "--clear-groups",
                   "env", "HOME=" + self.home, *cmd]
        env = dict(os.environ, HOME=self.home, LC_ALL="C.UTF-8")
        env.pop("WIRESHARK_PLUGIN_DIR", None)
        r = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)
        return r.returncode, r.stdout, r.stderr

    def run(self, *args, allow_stderr=False, cut_short_ok=False):
        """tshark's stdout; fails on any exit status but 0 and on anything on stderr.
        cut_short_ok: a capture file cut short in the middle of a packet is fine (tshark
        says so, exits with cut_short_exit() and prints the packets before the cut)."""
        code, stdout, stderr = self.run_raw(*args)
        cut = "appears to have been cut short in the middle of a packet"
        if cut_short_ok and code == cut_short_exit() and cut in stderr:
            stderr = "\n".join(l for l in stderr.splitlines() if cut not in l)
            code = 0
        if code != 0:
            raise Failure("tshark %s failed (%d): %s" % (" ".join(args), code, stderr))
        # Registration problems ("Dissector bug", duplicate names, plugin load errors)
        # are reported on stderr only.
        if not allow_stderr and stderr.strip():
            raise Failure("tshark %s wrote to stderr: %s" % (" ".join(args), stderr))
        return stdout

    def fields(self, capture, fields, filter=None, prefs=(), two_pass=True, cut_short_ok=False):
        """One row per displayed frame: a list with one string per field; several
        occurrences of a field in a frame are joined with ','."""
        # \x1f (unit separator): Info columns contain "|" and ",".
        args = ["-r", capture, "-T", "fields", "-E", "separator=\x1f", "-E", "occurrence=a",
                "-E", "aggregator=,"]
        if two_pass:
            args.append("-2")
        for p in prefs:
            args += ["-d", p[3:]] if p.startswith("-d ") else ["-o", p]
        for f in fields:
            args += ["-e", f]
        if filter:
            args += ["-Y", filter]
        out = self.run(*args, cut_short_ok=cut_short_ok)
        rows = [line.split("\x1f") for line in out.splitlines()]
        return [[self._boolean_as_number(f, v) for f, v in zip(fields, row)] for row in rows]

    # See "Where Wireshark versions differ" above (1.).
    def _boolean_as_number(self, field, value):
        if not value or not set(value.split(",")) <= {"True", "False"}:
            return value
        if self.field_type(field) != "FT_BOOLEAN":
            return value
        return ",".join("1" if v == "True" else "0" for v in value.split(","))

    def field_type(self, field):
        """FT_* type of a registered field (from `tshark -G fields`, read once)."""
        if not hasattr(self, "_types"):
            self._types = {}
            for line in self.run("-G", "fields").splitlines():
                cols = line.split("\t")
                if cols[0] == "F" and len(cols) > 3:
                    self._types[cols[2]] = cols[3]
        return self._types.get(field)

    def json(self, capture, filter=None, prefs=(), protocols=()):
        args = ["-r", capture, "-2", "-T", "json"]
        for p in prefs:
            args += ["-o", p]
        if filter:
            args += ["-Y", filter]
        if protocols:
            args += ["-J", " ".join(protocols)]
        return parse_json(self.run(*args))

    def experts(self, capture, proto, prefs=()):
        """[(frame, name, severity, group, message)] for every expert info whose
        name (e.g. "sp.malformed") belongs to `proto`, from the JSON output."""
        return expert_infos(self.json(capture, prefs=prefs), (proto,))


def parse_json(text):
    """tshark -T json output, keeping repeated keys (see _multi)."""
    return json.loads(text or "[]", object_pairs_hook=_multi)


def expert_infos(packets, protocols):
    """[(frame, name, severity, group, message)], in tree order, for every expert info in
    parsed `tshark -T json` packets whose name (e.g. "sp.malformed") belongs to one of
    `protocols` -- not TCP's or another dissector's."""
    prefixes = tuple(p + "." for p in protocols)
    found = []

    def walk(node, frame):
        if isinstance(node, list):
            for n in node:
                walk(n, frame)
        elif isinstance(node, dict):
            if "_ws.expert.message" in node:
                names = [k for k in node if k.startswith(prefixes)]
                if names:
                    found.append((frame, names[0], int(node["_ws.expert.severity"]),
                                  int(node["_ws.expert.group"]), node["_ws.expert.message"]))
            for v in node.values():
                walk(v, frame)

    for pkt in packets:
        layers = pkt["_source"]["layers"]
        walk(layers, int(layers["frame"]["frame.number"]))
    return found
