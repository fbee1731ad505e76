"""A process's peak resident set, as the e2e tests measure memory: from GNU time (Debian's
`time`, which scripts/setup.sh installs), not wait4() from the test's Python process. A child
forked from that process starts with its pages, and the kernel keeps the largest resident set
across exec: once a test had read a large output, every later run showed hundreds of MiB."""


def under_gnu_time(cmd, rss_path):
    """`cmd` run by GNU time, which writes the peak (KiB) to rss_path."""
    return ["/usr/bin/time", "-q", "-f", "%M", "-o", rss_path, *cmd]


def peak_kib(rss_path):
    """The peak GNU time wrote, in KiB."""
    with open(rss_path) as f:
        return int(f.read().split()[-1])
