"""Runs the real tshark with the plugin installed under a throwaway HOME.

tshark ignores personal plugins when run as root, so as root it runs as nobody
(uid/gid 65534) through setpriv; the HOME must therefore be readable by nobody.
"""
import json
import os
import subprocess

NOBODY = 65534


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

    def run(self, *args, allow_stderr=False):
        cmd = ["tshark", *args]
        if os.geteuid() == 0:
            cmd = ["setpriv", "--reuid=%d" % NOBODY, "--regid=%d" % NOBODY, "--clear-groups",
                   "env", "HOME=" + self.home, *cmd]
        env = dict(os.environ, HOME=self.home, LC_ALL="C.UTF-8")
        env.pop("WIRESHARK_PLUGIN_DIR", None)
        r = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)
        if r.returncode != 0:
            raise Failure("tshark %s failed (%d): %s" % (" ".join(args), r.returncode, r.stderr))
        # Registration problems ("Dissector bug", duplicate names, plugin load errors)
        # are reported on stderr only.
        if not allow_stderr and r.stderr.strip():
            raise Failure("tshark %s wrote to stderr: %s" % (" ".join(args), r.stderr))
        return r.stdout

    def fields(self, capture, fields, filter=None, prefs=(), two_pass=True):
        """One row per displayed frame: a list with one string per field; several
        occurrences of a field in a frame are joined with ','."""
        args = ["-r", capture, "-T", "fields", "-E", "separator=|", "-E", "occurrence=a",
                "-E", "aggregator=,"]
        if two_pass:
            args.append("-2")
        for p in prefs:
            args += ["-o", p]
        for f in fields:
            args += ["-e", f]
        if filter:
            args += ["-Y", filter]
        out = self.run(*args)
        return [line.split("|") for line in out.splitlines()]

    def json(self, capture, filter=None, prefs=(), protocols=()):
        args = ["-r", capture, "-2", "-T", "json"]
        for p in prefs:
            args += ["-o", p]
        if filter:
            args += ["-Y", filter]
        if protocols:
            args += ["-J", " ".join(protocols)]
        return json.loads(self.run(*args) or "[]")

    def experts(self, capture, prefs=()):
        """(frame, severity, group, protocol, summary) for every expert info."""
        rows = self.fields(capture, ["frame.number", "_ws.expert.severity", "_ws.expert.group",
                                     "_ws.expert.message"], filter="_ws.expert", prefs=prefs)
        return rows
