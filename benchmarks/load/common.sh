# Shared by the load scripts (sourced after each defines die): the path of each body kind, a free
# port, the tools they need, and wrk's requests/s.

# The endpoint a body kind is posted to (processor, router).
path_of() {
  case $1 in
    processor) echo /v0/destinations/clevertap ;;
    router) echo /routerTransform ;;
    *) die "the body is processor or router, not '$1'" ;;
  esac
}

# A TCP port free on loopback right now.
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# Stops with a clear message unless every tool named is installed.
require_tools() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null || die "$tool is not installed (wrk: apt-get install -y wrk)"
  done
}

# requests/s of a wrk report; refuses a run with non-2xx answers or socket errors.
requests_per_second() {
  if grep -q -E 'Non-2xx or 3xx responses|Socket errors' "$1"; then
    die "errors in $1: $(grep -E 'Non-2xx or 3xx responses|Socket errors' "$1" | tr '\n' ' ')"
  fi
  awk '/Requests\/sec/ {print $2}' "$1"
}
