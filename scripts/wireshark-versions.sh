#!/usr/bin/env bash
# The plugin on the Wireshark versions Debian ships, and the Debian packages on each:
#
#   bookworm  Wireshark 4.0  this machine
#   trixie    Wireshark 4.4  a debootstrap tree (Debian 13)
#   sid       Wireshark 4.6  a debootstrap tree (Debian unstable)
#
# For each suite: build the plugin and quartet with warnings as errors, run the plugin's
# end-to-end and golden tests with that suite's tshark, build the .deb files
# (`--target deb`), then install them with `apt-get install ./file.deb` into a
# copy-on-write view of that system, check that `tshark -G plugins` lists the plugin with
# no HOME set up and that `quartet --version` runs, remove them and check that nothing is
# left behind. The view (an overlay mount in a private mount namespace) is thrown away
# afterwards, so the machine and the cached trees are never changed -- and other users'
# tshark never sees a system copy of the plugin beside their personal one (two plugins
# registering the same protocol make Wireshark abort).
#
# Usage (as root: debootstrap, chroot and mounts need it):
#   scripts/wireshark-versions.sh                 everything, all three suites
#   scripts/wireshark-versions.sh trixie sid      only those suites
#   scripts/wireshark-versions.sh --ci            the subset scripts/test.sh runs (see below)
#   scripts/wireshark-versions.sh --packages      build and test only the packages
#
# --ci (CI budget: minutes, tree creation included): trixie and sid only (bookworm's 4.0
# is the main CI build), plugin only (no quartet, no packages), all plugin end-to-end tests
# and the plugin goldens. Everything else runs here without --ci.
#
# Trees live in $QUARTET_TREES (default /var/cache/quartet-wireshark-trees), outside the
# repository; a missing or unfinished tree is made again, and a tree whose package list
# changed gets the new packages. Logs: <tree>.log beside each tree.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${QUARTET_TREES:-/var/cache/quartet-wireshark-trees}
CI=0
PACKAGES_ONLY=0
SUITES=()
for a in "$@"; do
  case $a in
    --ci) CI=1 ;;
    --packages) PACKAGES_ONLY=1 ;;
    bookworm|trixie|sid) SUITES+=("$a") ;;
    -h|--help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $a (try --help)" >&2; exit 2 ;;
  esac
done
if [ ${#SUITES[@]} -eq 0 ]; then
  if [ $CI = 1 ]; then SUITES=(trixie sid); else SUITES=(bookworm trixie sid); fi
fi
[ "$(id -u)" -eq 0 ] || { echo "wireshark-versions.sh: run as root (debootstrap, chroot, mounts)" >&2; exit 2; }

# What a tree needs to build and test quartet (scripts/setup.sh's list, minus what only
# makes captures).
TREE_PACKAGES=(build-essential cmake pkg-config ccache libwireshark-dev tshark libglib2.0-dev
               libpcap-dev zlib1g-dev libzstd-dev libssl-dev libgtest-dev libabsl-dev python3 openssl help2man
               file)  # file: cpack's dpkg-shlibdeps step needs it
HOST_SUITE=$(. /etc/os-release && echo "$VERSION_CODENAME")

# The Debian mirror this machine already uses (one-line or deb822 sources alike).
debian_mirror() {
  apt-get indextargets --format '$(REPO_URI)' "Created-By: Packages" "Codename: $HOST_SUITE" |
    head -n1 | sed 's:/*$::'
}

# apt options for a suite: sid's Release file may be past its Valid-Until date (the
# mirror snapshot is older than a week); every other suite keeps the check.
apt_opts() {
  if [ "$1" = sid ]; then echo "-o Acquire::Check-Valid-Until=false"; fi
}

log() { printf '== %s\n' "$*"; }

# Runs a bash command as root inside a tree (chroot with /proc, /dev and the source tree
# read-only at /quartet-src), in a private mount namespace that ends with the command.
in_tree() {
  local tree=$1 cmd=$2
  mkdir -p "$tree/quartet-src"
  unshare --mount --propagation private bash -ec '
    tree=$1; src=$2; cmd=$3
    mount -t proc proc "$tree/proc"
    mount --rbind /dev "$tree/dev"
    mount --bind "$src" "$tree/quartet-src"
    mount -o remount,bind,ro "$tree/quartet-src"
    cp /etc/resolv.conf "$tree/etc/resolv.conf" 2>/dev/null || true
    exec chroot "$tree" /usr/bin/env -i PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin \
      HOME=/root LC_ALL=C.UTF-8 DEBIAN_FRONTEND=noninteractive CCACHE_DIR=/var/cache/ccache \
      bash -ec "$cmd"' _ "$tree" "$ROOT" "$cmd"
}

# Makes (or completes) the tree of a suite. The stamp file names the package list the tree
# has; it is written last, so an interrupted creation is started again.
ensure_tree() {
  local suite=$1 tree=$CACHE/$1 stamp=$CACHE/$1/.quartet-tree
  local want="${TREE_PACKAGES[*]}"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    return 0
  fi
  if [ ! -f "$stamp" ]; then
    rm -rf "$tree"
    log "$suite: debootstrap --variant=minbase from $(debian_mirror) (log: $tree.log)"
    debootstrap --variant=minbase "$suite" "$tree" "$(debian_mirror)" >"$tree.log" 2>&1 ||
      { tail -n 20 "$tree.log"; echo "debootstrap $suite failed" >&2; return 1; }
  fi
  log "$suite: installing the build packages"
  in_tree "$tree" "
    echo 'wireshark-common wireshark-common/install-setuid boolean false' | debconf-set-selections
    apt-get $(apt_opts "$suite") update -qq
    apt-get install -y -qq --no-install-recommends -o Dpkg::Options::=--force-unsafe-io $want
    apt-get clean" >>"$tree.log" 2>&1 ||
    { tail -n 20 "$tree.log"; echo "installing packages in $suite failed" >&2; return 1; }
  echo "$want" >"$stamp"
}

# The build and test steps, the same inside a tree and on this machine. $1 = build dir.
build_and_test_script() {
  local build=$1 src=$2 targets tests configure
  configure="-DCMAKE_BUILD_TYPE=Release -DCMAKE_COMPILE_WARNING_AS_ERROR=ON"
  if command -v ccache >/dev/null; then
    configure+=" -DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache"
  fi
  if [ $CI = 1 ]; then
    configure+=" -DQUARTET_ANALYZER=OFF"
    targets="quartet_plugin"
  else
    configure+=" -DQUARTET_ANALYZER=ON"  # the build dir may come from a --ci run
    targets="quartet_plugin quartet"
  fi
  tests='^(plugin|golden\.(plugin|tree))\.'
  cat <<EOF
cmake -S $src -B $build $configure >$build.configure.log || { cat $build.configure.log; exit 1; }
echo "Wireshark \$(pkg-config --modversion wireshark), \$(tshark --version 2>/dev/null | head -n1)"
cmake --build $build -j$(nproc) --target $targets
EOF
  if [ $PACKAGES_ONLY = 0 ]; then
    echo "(cd $build && ctest -R '$tests' -j$(nproc) --output-on-failure)"
  fi
  if [ $CI = 0 ]; then
    echo "rm -rf $build/packages && cmake --build $build --target deb"
  fi
}

# Installs the packages in a throw-away overlay of ROOTFS and checks them there.
package_test() {
  local label=$1 rootfs=$2 debs=$3 work
  work=$(mktemp -d /var/tmp/quartet-package-test.XXXXXX)
  chmod 755 "$work"  # nobody reads the demo capture there
  mkdir -p "$work/upper" "$work/work" "$work/root"
  cp "$debs"/*.deb "$ROOT/captures/demo.pcapng" "$ROOT/captures/demo.keys" "$work/" ||
    { rm -rf "$work"; return 1; }
  local status=0
  unshare --mount --propagation private bash -ec '
    rootfs=$1; work=$2; check=$3
    mount -t overlay overlay -o "lowerdir=$rootfs,upperdir=$work/upper,workdir=$work/work" "$work/root"
    mount -t proc proc "$work/root/proc"
    mount --rbind /dev "$work/root/dev"
    mkdir -p "$work/root/tmp/quartet-debs"
    mount --bind "$work" "$work/root/tmp/quartet-debs"
    exec chroot "$work/root" /usr/bin/env -i PATH=/usr/bin:/bin:/usr/sbin:/sbin LC_ALL=C.UTF-8 \
      DEBIAN_FRONTEND=noninteractive bash -ec "$check"' _ "$rootfs" "$work" "$(cat "$ROOT/scripts/lib/package_check.sh")" ||
    status=$?
  rm -rf "$work"
  if [ $status = 0 ]; then log "$label: packages OK"; else echo "$label: package test failed" >&2; return 1; fi
}

run_suite() {
  local suite=$1
  if [ "$suite" = bookworm ]; then
    [ "$HOST_SUITE" = bookworm ] || { echo "this machine is $HOST_SUITE, not bookworm" >&2; return 1; }
    local build=$CACHE/bookworm-build
    mkdir -p "$CACHE"
    log "bookworm (this machine): build and plugin tests in $build"
    bash -ec "$(build_and_test_script "$build" "$ROOT")" || return 1
    [ $CI = 1 ] || package_test bookworm / "$build/packages" || return 1
    return 0
  fi
  local tree=$CACHE/$suite
  ensure_tree "$suite" || return 1
  log "$suite: build and plugin tests in $tree/quartet-build"
  in_tree "$tree" "$(build_and_test_script /quartet-build /quartet-src)" || return 1
  [ $CI = 1 ] || package_test "$suite" "$tree" "$tree/quartet-build/packages" || return 1
}

# (run_suite is called in an `if`, where bash ignores set -e: every step checks itself.)

# Everything runs from a function, so bash has read the whole file before it starts: editing
# the script during a run cannot change what the run does.
main() {
  command -v debootstrap >/dev/null || { echo "debootstrap missing: run scripts/setup.sh" >&2; exit 2; }
  mkdir -p "$CACHE"
  exec 9>"$CACHE/.lock"
  flock 9  # one run at a time per cache

  # Trees are made first, all at once: that is mostly waiting for the mirror and the disk.
  pids=()
  for s in "${SUITES[@]}"; do
    [ "$s" = bookworm ] || { ensure_tree "$s" & pids+=($!); }
  done
  for p in "${pids[@]}"; do wait "$p" || { echo "making a tree failed" >&2; exit 1; }; done

  failed=()
  for s in "${SUITES[@]}"; do
    SECONDS=0
    if run_suite "$s"; then log "$s: passed (${SECONDS}s)"; else failed+=("$s"); log "$s: FAILED"; fi
  done
  [ ${#failed[@]} -eq 0 ] || { echo "failed: ${failed[*]}" >&2; exit 1; }
  log "all passed: ${SUITES[*]}"
}

main "$@"; exit $?
