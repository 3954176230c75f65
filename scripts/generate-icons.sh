#!/bin/sh
# Regenerates the committed app icons from build/icon.svg (the only hand-edited source).
#   build/icon.png              1024×1024: electron-builder derives the Windows .ico and macOS .icns from it
#   build/icons/<N>x<N>.png     the Linux icon set (hicolor sizes) used by AppImage, deb and rpm
# Needs rsvg-convert (Debian/Ubuntu: apt-get install librsvg2-bin; macOS: brew install librsvg).
set -eu

root=$(CDPATH='' cd -- "$(dirname -- "$0")/.." && pwd)
svg="$root/build/icon.svg"
out="$root/build/icons"

if ! command -v rsvg-convert >/dev/null 2>&1; then
  echo "generate-icons: rsvg-convert not found (apt-get install librsvg2-bin, or brew install librsvg)" >&2
  exit 1
fi

mkdir -p "$out"
rsvg-convert --width 1024 --height 1024 --keep-aspect-ratio --output "$root/build/icon.png" "$svg"
for size in 16 24 32 48 64 128 256 512; do
  rsvg-convert --width "$size" --height "$size" --keep-aspect-ratio --output "$out/${size}x${size}.png" "$svg"
done
echo "generate-icons: wrote build/icon.png and build/icons/{16..512}x{16..512}.png"
