"""The protocols quartet decodes, as the core's registry (all_protocols()) lists them.

Scripts that do something for "every protocol" (goldens, the plugin e2e runner, fuzz
seeds, bench) take the list from here instead of writing it out, so a protocol added
to core/common/registry.cpp reaches them all -- and a script with per-protocol content
(a sample exchange, a capture folder) fails loudly when the new one has none.

The list is build/protocols.json, written at build time from `quartet --list-protocols
-F json` by a core-only tool (cmake/protocol-list.cmake). Its path: $QUARTET_PROTOCOLS
(ctest sets it), else the one given, else <build>/protocols.json for a quartet binary
or build folder given, else build/protocols.json in the source tree.
"""
import json
import os
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _path(hint=None):
    if os.environ.get("QUARTET_PROTOCOLS"):
        return os.environ["QUARTET_PROTOCOLS"]
    if hint and os.path.isdir(hint):
        return os.path.join(hint, "protocols.json")
    return hint or os.path.join(ROOT, "build", "protocols.json")


def load(hint=None):
    """[{filter_name, short_name, long_name, default_tcp_ports, ...}] in registry order.
    `hint`: protocols.json, a build folder, or a quartet binary (asked directly)."""
    if hint and os.path.isfile(hint) and os.access(hint, os.X_OK) and not os.environ.get("QUARTET_PROTOCOLS"):
        out = subprocess.run([hint, "--list-protocols", "-F", "json"], capture_output=True, check=True, text=True)
        return json.loads(out.stdout)["protocols"]
    path = _path(hint)
    try:
        with open(path) as f:
            return json.load(f)["protocols"]
    except OSError as e:
        raise SystemExit("the protocol list %s cannot be read (%s): build the target quartet-protocols-json "
                         "or set QUARTET_PROTOCOLS" % (path, e.strerror))


def filter_names(hint=None):
    return [p["filter_name"] for p in load(hint)]


def module(p):
    """The protocol's folder name under core/ and captures/ (cops, rrp, iap, sp)."""
    return p["short_name"].lower()


def require(what, protocols, have):
    """Fails unless `have` (names, as in `protocols`) covers every protocol: a script with
    per-protocol content must not skip a protocol it knows nothing about."""
    missing = [p for p in protocols if p not in have]
    if missing:
        raise SystemExit("%s: nothing for protocol(s) %s; add it (the list comes from the core's registry)"
                         % (what, ", ".join(missing)))
