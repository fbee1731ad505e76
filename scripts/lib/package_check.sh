# Run by scripts/wireshark-versions.sh as root inside a throw-away copy of a Debian system
# (bash -e), with quartet's .deb files, captures/demo.pcapng and demo.keys in
# /tmp/quartet-debs: installs the packages the way the README says, checks what a user
# would, removes them and checks that nothing is left.

# Which of the files and folders the packages hold exist now. Compared before installing and
# after purging: only the packages' own paths, so that whatever else changes on a live system
# meanwhile (this machine is shared) cannot disturb the check.
package_paths() {
  for d in /tmp/quartet-debs/*.deb; do dpkg-deb -c "$d" | awk '{print $6}'; done |
    sed 's:^\./:/:; s:/$::' | grep -v '^$' | sort -u
}
existing() { while read -r p; do if [ -e "$p" ]; then echo "$p"; fi; done; }
fail() { echo "package check: $*" >&2; exit 1; }

package_paths >/tmp/paths
existing </tmp/paths >/tmp/before
cd /tmp/quartet-debs
plugin_deb=$(ls quartet-wireshark-plugin_*.deb)
quartet_deb=$(ls quartet_*.deb)
echo "installing $plugin_deb $quartet_deb"
apt-get install -y -q --no-install-recommends "./$plugin_deb" "./$quartet_deb" >/tmp/apt.log 2>&1 ||
  { cat /tmp/apt.log; fail "apt-get install failed"; }

# The plugin package pins the libwireshark ABI of the Wireshark it was built against.
abi=$(dpkg-query -S "$(readlink -f "$(ldconfig -p | sed -n 's/.*libwireshark\.so\.[0-9]* .*=> //p' | head -n1)")" |
      cut -d: -f1)
depends=$(dpkg-query -W -f='${Depends}' quartet-wireshark-plugin)
case ", $depends" in *", $abi "*|*", $abi,"*|*", $abi") ;; *) fail "plugin Depends ($depends) lacks $abi" ;; esac
echo "plugin depends on $abi"

# Loaded from the system plugin folder by a user with no plugin of their own: nobody,
# whose HOME does not exist. (root would load it too, but warns about running as root.)
as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups env -i PATH=/usr/bin:/bin HOME=/nonexistent "$@"; }
plugins=$(as_nobody tshark -G plugins)
line=$(printf '%s\n' "$plugins" | grep '^quartet\.so' || true)
[ -n "$line" ] || { printf '%s\n' "$plugins"; fail "tshark -G plugins does not list quartet.so"; }
echo "tshark -G plugins: $line"
series=$(tshark --version 2>/dev/null | head -n1 | grep -o '[0-9]*\.[0-9]*\.[0-9]*' | head -n1 | cut -d. -f1,2)
case $line in *"/wireshark/plugins/$series/epan/quartet.so"*) ;; *) fail "not from the system folder for $series" ;; esac
case $line in *"/usr/lib/"*) ;; *) fail "not under /usr/lib" ;; esac

# It decodes: the demo capture has messages of every protocol (the installed quartet's list).
chmod 0644 demo.pcapng demo.keys
ours=$(quartet --list-protocols | awk '{print $1}')
[ -n "$ours" ] || fail "quartet --list-protocols lists nothing"
for p in $ours; do
  n=$(as_nobody tshark -r demo.pcapng -o tls.keylog_file:/tmp/quartet-debs/demo.keys -Y "$p" | wc -l)
  [ "$n" -gt 0 ] || fail "no $p frames in demo.pcapng with the installed plugin"
  echo "demo.pcapng: $n $p frames"
done

quartet --version
[ "$(quartet --version)" = "quartet $(dpkg-query -W -f='${Version}' quartet | cut -d- -f1)" ] ||
  fail "quartet --version does not say the package version"
[ "$(command -v quartet)" = /usr/bin/quartet ] || fail "quartet is not /usr/bin/quartet"
# help2man writes --decode-as as \-\-decode\-as in the roff source.
zcat /usr/share/man/man1/quartet.1.gz | grep -q 'decode\\-as' || fail "man page lacks the options of --help"
quartet demo.pcapng >/tmp/timeline.txt || fail "quartet demo.pcapng failed"
grep -q '^#[0-9]* COPS' /tmp/timeline.txt || fail "quartet shows no COPS session in demo.pcapng"

apt-get purge -y -q quartet-wireshark-plugin quartet >/tmp/apt.log 2>&1 || { cat /tmp/apt.log; fail "apt-get purge failed"; }
existing </tmp/paths >/tmp/after
if ! diff /tmp/before /tmp/after; then
  fail "removing the packages left the paths above behind"
fi
for p in quartet quartet-wireshark-plugin; do
  if dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null | grep -qv '^not-installed$'; then
    fail "dpkg still knows $p: $(dpkg-query -W -f='${db:Status-Status}' "$p")"
  fi
done
echo "removed; nothing left behind ($(wc -l </tmp/paths) paths checked, $(($(wc -l </tmp/paths) - $(wc -l </tmp/before))) of them the packages' own)"
