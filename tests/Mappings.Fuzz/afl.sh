#!/usr/bin/env bash
# Fuzzes one target with AFL++ (README.md beside this file):
#   tests/Mappings.Fuzz/afl.sh TARGET [SECONDS] [WORKDIR]
# TARGET: reader, item, request, request-compacted, router, router-compacted. SECONDS: how long
# afl-fuzz runs (default 3600; 0 = until Ctrl-C). WORKDIR (default /tmp/mappings-fuzz/TARGET):
# bin/ (the published, instrumented harness), in/ (seeds), out/ (AFL's findings; an existing
# out/ is resumed). Needs afl-fuzz (apt-get install afl++) and ../shared beside the repository.
set -euo pipefail

target=${1:?usage: afl.sh TARGET [SECONDS] [WORKDIR]}
seconds=${2:-3600}
work=${3:-/tmp/mappings-fuzz/$target}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)

if ! command -v afl-fuzz >/dev/null; then
  echo "afl-fuzz not found: install AFL++ (Debian: apt-get install afl++)" >&2
  exit 1
fi

# The SharpFuzz instrumenter (a dotnet tool), from PATH, the global tools, or installed into WORKDIR.
sharpfuzz=$(command -v sharpfuzz || true)
[ -z "$sharpfuzz" ] && [ -x "$HOME/.dotnet/tools/sharpfuzz" ] && sharpfuzz=$HOME/.dotnet/tools/sharpfuzz
if [ -z "$sharpfuzz" ]; then
  [ -x "$work/tools/sharpfuzz" ] || dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path "$work/tools"
  sharpfuzz=$work/tools/sharpfuzz
fi

# Publish into WORKDIR (instrumenting rewrites the assemblies in place: never in the build tree),
# then instrument the code under test: the runtime and the generated CleverTap mapper.
rm -rf "$work/bin"
dotnet publish "$here/Mappings.Fuzz.csproj" -c Release -o "$work/bin" --nologo -v quiet
for dll in Mappings.Runtime.dll Mappings.CleverTap.dll; do
  "$sharpfuzz" "$work/bin/$dll"
done

# Seeds from the conformance vectors (kept when they exist: AFL resumes from out/).
if [ ! -d "$work/in" ]; then
  dotnet "$work/bin/Mappings.Fuzz.dll" "$target" --seed-corpus "$work/in" --max "${SEEDS:-40}" --shared "$repo/../shared"
fi

export AFL_SKIP_BIN_CHECK=1                      # the target is dotnet, not an instrumented binary
export AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1   # core_pattern may pipe cores elsewhere (containers)
export AFL_SKIP_CPUFREQ=1
export AFL_AUTORESUME=1
export AFL_NO_UI=${AFL_NO_UI:-1}
duration=()
[ "$seconds" != 0 ] && duration=(-V "$seconds")
# -t: SharpFuzz's child restarts the .NET runtime after a crash, which takes well over a second.
exec afl-fuzz -i "$work/in" -o "$work/out" -t "${AFL_TIMEOUT_MS:-10000}" -m none "${duration[@]}" \
  -- dotnet "$work/bin/Mappings.Fuzz.dll" "$target"
