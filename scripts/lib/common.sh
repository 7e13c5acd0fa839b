# shellcheck shell=bash
# Shared by Trama's scripts: locating the repository, installing what is missing, starting Docker.
# Sourced, not run.

TRAMA_ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"

say() { printf '%s\n' "$*" >&2; }
die() { say "$(basename "$0"): $*"; exit 1; }

require_root() {
    [[ $(id -u) -eq 0 ]] || die "must run as root (it creates network namespaces, links and iptables rules)"
}

# Installs the Debian packages whose commands are missing. Arguments: command:package pairs.
ensure_commands() {
    local missing=() pair
    for pair in "$@"; do
        command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
    done
    ((${#missing[@]} == 0)) && return 0
    [[ $(id -u) -eq 0 ]] || die "missing Debian package(s) ${missing[*]}: install them as root (apt-get install ${missing[*]})"
    say "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Everything the tests and the simulated cluster use.
ensure_runtime_packages() {
    ensure_commands etcd:etcd-server etcdctl:etcd-client dockerd:docker.io ip:iproute2 iptables:iptables \
        busybox:busybox-static ping:iputils-ping iperf3:iperf3 nsenter:util-linux tmux:tmux sysctl:procps \
        openssl:openssl dnsmasq:dnsmasq-base
    [[ -x /bin/busybox ]] || ensure_commands busybox-is-static:busybox-static
}

# Starts the Docker Engine in the background unless its socket already answers.
ensure_docker() {
    docker info >/dev/null 2>&1 && return 0
    say "starting dockerd"
    mkdir -p /var/log
    nohup dockerd >/var/log/trama-dockerd.log 2>&1 &
    local deadline=$((SECONDS + 60))
    while ((SECONDS < deadline)); do
        docker info >/dev/null 2>&1 && return 0
        sleep 1
    done
    die "the Docker Engine did not come up within 60 s (see /var/log/trama-dockerd.log)"
}

# Builds the jars of every launcher (trama-server, trama-daemon, trama) when stale.
ensure_launcher_jars() {
    ensure_jars server node-daemon console
}

# Builds the shaded jars when one of the named modules' is missing or older than the sources.
ensure_jars() {
    local module jar stale=0
    for module in "$@"; do
        jar=$(module_jar "$module")
        if [[ ! -f $jar ]] || [[ -n $(find "$TRAMA_ROOT/$module/src" "$TRAMA_ROOT/common/src" "$TRAMA_ROOT/pom.xml" \
                "$TRAMA_ROOT/$module/pom.xml" -newer "$jar" -print -quit 2>/dev/null) ]]; then
            stale=1
        fi
    done
    ((stale == 0)) && return 0
    mkdir -p "$TRAMA_ROOT/target"
    (
        flock 9
        say "building Trama (mvn package)"
        cd "$TRAMA_ROOT" && mvn -B -q -DskipTests -pl server,node-daemon,console -am package >&2
    ) 9>"$TRAMA_ROOT/target/.build.lock"
}

module_jar() {
    case "$1" in
        server) echo "$TRAMA_ROOT/server/target/trama-server.jar" ;;
        node-daemon) echo "$TRAMA_ROOT/node-daemon/target/trama-daemon.jar" ;;
        console) echo "$TRAMA_ROOT/console/target/trama-console.jar" ;;
    esac
}

# Every bash script of the repository, one a line: the files under scripts/ whose first line names bash,
# the libraries sourced from them (*.sh), and the CI entry point.
bash_scripts() {
    local file
    while IFS= read -r -d '' file; do
        if [[ $file == *.sh ]] || head -n 1 "$file" | grep -q '^#!.*bash'; then
            printf '%s\n' "$file"
        fi
    done < <(find "$TRAMA_ROOT/scripts" "$TRAMA_ROOT/.ci" -type f -print0 | sort -z)
}
