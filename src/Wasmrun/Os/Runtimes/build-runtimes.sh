#!/usr/bin/env bash
# Builds OS mode's language runtimes once per recipe content (a cache keyed by the recipe's files) and packs each as
# OUTDIR/R.tar.br, which the wasmrun binary embeds: build-runtimes.sh OUTDIR (see docs/os-runtimes.md).
set -euo pipefail

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

(($# == 1)) || die "usage: $0 OUTDIR"
RUNTIMES="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# the recipes keep their downloads under the same root
export WASMRUN_BUILD_CACHE="${WASMRUN_BUILD_CACHE:-${HOME:?HOME is not set: set WASMRUN_BUILD_CACHE}/.cache/wasmrun-build}"
CACHE="$WASMRUN_BUILD_CACHE/runtimes"
mkdir -p "$1" "$CACHE"
OUTDIR="$(cd "$1" && pwd)"
command -v brotli >/dev/null || die "brotli not found: run ./build.sh setup (apt: brotli)"

# SHA-256 over the recipe's files: each file's hash with its relative name, in byte order of the names.
recipe_key() {
  (cd "$1" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)
}

# Runs RECIPE/build.sh into a scratch directory beside ENTRY and renames it to ENTRY only when it succeeded, so a
# failed or interrupted build never leaves an entry behind.
build_entry() {
  local recipe="$1" entry="$2" name="$3"
  local scratch="$entry.tmp.$$" build_log="$entry.log"
  rm -rf "$scratch"
  mkdir "$scratch"
  log "$name: building (recipe $recipe; log $build_log)"
  if ! "$recipe/build.sh" "$scratch" >"$build_log" 2>&1; then
    rm -rf "$scratch"
    tail -30 "$build_log" >&2
    die "$name: the recipe failed (full log: $build_log)"
  fi
  [[ -s "$scratch/VERSION" ]] || { rm -rf "$scratch"; die "$name: the recipe wrote no VERSION file into its output"; }
  # another build of the same key may have finished first: its entry is as good as ours
  mv -T "$scratch" "$entry" 2>/dev/null || rm -rf "$scratch"
}

# A tar the .NET reader takes (pax, which System.Formats.Tar reads), the same bytes for the same files: names in
# byte order without a ./ prefix, no times, owners or access bits of the machine that built it.
pack() {
  local entry="$1" archive="$2"
  (cd "$entry" && find . -mindepth 1 -printf '%P\n' | LC_ALL=C sort |
    tar --create --file=- --no-recursion --files-from=- --format=pax \
      --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime \
      --mtime=@0 --owner=0 --group=0 --numeric-owner --mode=u+rw,go+r,go-w) |
    brotli --quality=11 --lgwin=24 --stdout >"$archive.tmp"
  mv -f "$archive.tmp" "$archive"
}

for name in javascript python lua; do
  recipe="$RUNTIMES/$name/recipe"
  [[ -d "$recipe" ]] || continue
  [[ -x "$recipe/build.sh" ]] || die "$recipe/build.sh is missing or not executable"
  key="$(recipe_key "$recipe")"
  entry="$CACHE/$name-$key"
  SECONDS=0
  if [[ -d "$entry" ]]; then
    how="cached"
  else
    build_entry "$recipe" "$entry" "$name"
    how="built in ${SECONDS}s"
  fi
  # Brotli's best level takes most of a minute for CPython: the archive is packed once per entry and kept beside it,
  # so a fresh clone with a warm cache only copies it.
  if [[ ! -f "$entry.tar.br" ]]; then
    SECONDS=0
    pack "$entry" "$entry.tar.br"
    how="$how, packed in ${SECONDS}s"
  fi
  # R.key names the entry the archive came from: switching back to an older recipe must copy an older entry's too.
  archive="$OUTDIR/$name.tar.br" stamp="$OUTDIR/$name.key"
  if [[ ! -f "$archive" || "$archive" -ot "$entry.tar.br" || "$(cat "$stamp" 2>/dev/null)" != "$key" ]]; then
    cp "$entry.tar.br" "$archive.tmp"
    mv -f "$archive.tmp" "$archive"
    echo "$key" >"$stamp"
    how="$how, copied to $archive"
  fi
  # R.version: the runtime's name and version, which the binary embeds beside the archive (wasmrun os --licenses)
  cmp -s "$entry/VERSION" "$OUTDIR/$name.version" || cp "$entry/VERSION" "$OUTDIR/$name.version"
  raw="$(find "$entry" -type f -printf '%s\n' | awk '{ total += $1 } END { print total }')"
  log "$name: $(cat "$entry/VERSION"), $how: files $raw bytes, $name.tar.br $(stat -c %s "$archive") bytes (cache $entry)"
done
