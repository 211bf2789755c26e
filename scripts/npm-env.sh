# Sourced by the install and test scripts: build native addons (better-sqlite3) from source against
# the machine's own Node headers, so that no step downloads anything outside the npm registry.
export npm_config_build_from_source=true
if [ -z "${npm_config_nodedir:-}" ]; then
  for dir in /usr /usr/local; do
    if [ -f "$dir/include/node/node.h" ]; then export npm_config_nodedir="$dir"; break; fi
  done
fi
