#!/usr/bin/python3
"""install_plugin.py SO HOME: puts quartet.so where the user's Wireshark (the tshark on
PATH, version X.Y) looks for personal plugins, $HOME/.local/lib/wireshark/plugins/X.Y/epan/,
beside (not instead of) Debian's stock plugins, and makes sure uid 65534 can reach it."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tsharklib import personal_plugin_dir

so, home = Path(sys.argv[1]), Path(sys.argv[2])
dest = Path(personal_plugin_dir(str(home)))
if home.exists():
    shutil.rmtree(home)
dest.mkdir(parents=True)
shutil.copy(so, dest / "quartet.so")
for root, dirs, files in os.walk(home):
    os.chmod(root, 0o755)
    for f in files:
        os.chmod(os.path.join(root, f), 0o644)

if os.geteuid() == 0:
    # Every directory above HOME must be traversable by nobody too.
    r = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                        "test", "-r", str(dest / "quartet.so")])
    if r.returncode != 0:
        sys.exit("uid 65534 cannot read %s: make the build directory's parents "
                 "world-traversable (chmod o+x) or use a build dir under /tmp" % (dest / "quartet.so"))
print("installed", dest / "quartet.so")
