#!/usr/bin/env bash
# Copy the front-end distribution files we use from node_modules/ into web/static/vendor/, and bundle
# the process modeler (web/frontend/) with esbuild. Templates load these via url_for('static', ...).
#
# Usage (from a clean clone):   npm ci && bash scripts/copy_assets.sh
# Idempotent: the vendor directory is rebuilt from scratch on every run.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NM="$ROOT/node_modules"
VENDOR="$ROOT/web/static/vendor"

if [[ ! -d "$NM" ]]; then
  echo "copy_assets: $NM not found - run 'npm ci' first" >&2
  exit 1
fi

# copy SRC DEST_DIR  - copies one file, failing loudly if the source is missing.
copy() {
  local src="$NM/$1" dest="$VENDOR/$2"
  if [[ ! -f "$src" ]]; then
    echo "copy_assets: missing $src (package layout changed?)" >&2
    exit 1
  fi
  mkdir -p "$dest"
  cp -f "$src" "$dest/"
}

# copy_optional SRC DEST_DIR - source maps etc.; skipped silently when absent.
copy_optional() {
  local src="$NM/$1" dest="$VENDOR/$2"
  if [[ -f "$src" ]]; then
    mkdir -p "$dest"
    cp -f "$src" "$dest/"
  fi
}

# copy_dir SRC_DIR DEST_DIR - recursive copy of a directory's contents.
copy_dir() {
  local src="$NM/$1" dest="$VENDOR/$2"
  if [[ ! -d "$src" ]]; then
    echo "copy_assets: missing directory $src" >&2
    exit 1
  fi
  mkdir -p "$dest"
  cp -Rf "$src/." "$dest/"
}

# Rebuild from scratch so that files removed upstream do not linger.
rm -rf "$VENDOR"
mkdir -p "$VENDOR"

# --- Bootstrap 5 -----------------------------------------------------------
copy          bootstrap/dist/css/bootstrap.min.css           bootstrap
copy_optional bootstrap/dist/css/bootstrap.min.css.map       bootstrap
copy          bootstrap/dist/js/bootstrap.bundle.min.js      bootstrap
copy_optional bootstrap/dist/js/bootstrap.bundle.min.js.map  bootstrap
copy          bootstrap/LICENSE                              bootstrap

# --- Bootstrap Icons (css references fonts/ relatively) --------------------
copy     bootstrap-icons/font/bootstrap-icons.min.css        bootstrap-icons
copy     bootstrap-icons/font/fonts/bootstrap-icons.woff2    bootstrap-icons/fonts
copy     bootstrap-icons/font/fonts/bootstrap-icons.woff     bootstrap-icons/fonts
copy     bootstrap-icons/LICENSE                             bootstrap-icons

# --- bpmn-js (UMD bundles; globals: BpmnJS) --------------------------------
copy     bpmn-js/dist/bpmn-viewer.production.min.js            bpmn-js
copy     bpmn-js/dist/bpmn-navigated-viewer.production.min.js  bpmn-js
copy     bpmn-js/dist/bpmn-modeler.production.min.js           bpmn-js
copy_dir bpmn-js/dist/assets                                   bpmn-js/assets
copy     bpmn-js/LICENSE                                       bpmn-js

# --- dmn-js (UMD bundles; globals: DmnJS) ----------------------------------
copy     dmn-js/dist/dmn-modeler.production.min.js           dmn-js
copy     dmn-js/dist/dmn-navigated-viewer.production.min.js  dmn-js
copy_dir dmn-js/dist/assets                                  dmn-js/assets
copy     dmn-js/LICENSE                                      dmn-js

# --- Chart.js 4 (UMD; global: Chart) ---------------------------------------
copy          chart.js/dist/chart.umd.min.js      chart.js
copy_optional chart.js/dist/chart.umd.min.js.map  chart.js
copy          chart.js/LICENSE.md                 chart.js

# --- The process modeler (web/frontend/*.js, ES modules -> one IIFE bundle) --
# bpmn-js Modeler + properties panel + Camunda/SpiffWorkflow moddle, built with esbuild from npm.
copy     @bpmn-io/properties-panel/dist/assets/properties-panel.css  modeler
copy     bpmn-js-properties-panel/LICENSE                            modeler
"$NM/.bin/esbuild" "$ROOT/web/frontend/modeler.js" --bundle --minify --sourcemap --format=iife \
  --target=es2020 --legal-comments=linked --log-level=warning --outfile="$VENDOR/modeler/modeler.bundle.js"

count=$(find "$VENDOR" -type f | wc -l)
echo "copy_assets: $count files copied to ${VENDOR#"$ROOT"/}"
