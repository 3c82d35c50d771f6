#!/usr/bin/env bash
# The release rehearsal on its own: `npm run release` into dist/release/ (tests/support/release.ts builds it once),
# then every check of tests/release.test.ts (the assets, one version everywhere, the launchers, the SDK tarball, the
# wheel, the Go SDK's tag with `go list -m`, actionlint on both workflows, the registry's fields) and
# tests/windowsLaunchers.test.ts (the .cmd and .exe under wine; skipped, saying why, without wine).
# Both files are also in `npm test`'s default set, so a CI that runs `npm test` runs them already.
#
# Needs: Node.js >= 20, Go >= 1.22 (the .exe launcher, actionlint from the Go module proxy, go list -m), GNU tar,
# git, unzip, Debian's python3-build python3-wheel python3-setuptools; for the wine test, wine, wine64 and
# gcc-mingw-w64-x86-64-win32. See docs/releasing.md.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run --silent build
node scripts/buildPlugin.js
MOCHA_SPEC=tests/release.test.ts,tests/windowsLaunchers.test.ts npx mocha
