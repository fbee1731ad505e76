#!/usr/bin/python3
"""check_cmake_install.py BUILD_DIR DESTDIR INSTALL_DIR: runs the documented
`cmake --install BUILD_DIR --component plugin` (staged under DESTDIR) and checks
that exactly quartet.so lands in INSTALL_DIR, the personal epan plugin folder of the
installed Wireshark (~/.local/lib/wireshark/plugins/X.Y/epan for tshark X.Y)."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tsharklib import wireshark_series

build, destdir, install_dir = sys.argv[1:4]
if Path(destdir).exists():
    shutil.rmtree(destdir)
subprocess.run(["cmake", "--install", build, "--component", "plugin"], check=True,
               env=dict(os.environ, DESTDIR=destdir))
staged = Path(destdir + install_dir)
assert install_dir.endswith("/.local/lib/wireshark/plugins/%s/epan" % wireshark_series()), install_dir
files = sorted(p.relative_to(destdir) for p in Path(destdir).rglob("*") if p.is_file())
assert files == [Path(install_dir.lstrip("/")) / "quartet.so"], files
assert staged.joinpath("quartet.so").stat().st_size > 0
print("installed", files[0])
