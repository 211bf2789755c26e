# Sourced by the install and test scripts: build native addons (better-sqlite3) from source against
# the machine's own Node headers, so that no step downloads anything outside the npm registry.
# npm 11 warns about config names it does not know ("Unknown env config build-from-source"), so the
# build-from-source switch goes to prebuild-install (better-sqlite3's installer) through its own rc
# file, .prebuild-installrc at the top of the checkout, not through npm_config_*. nodedir is npm's own.
if [ -z "${npm_config_nodedir:-}" ]; then
  for dir in /usr /usr/local; do
    if [ -f "$dir/include/node/node.h" ]; then export npm_config_nodedir="$dir"; break; fi
  done
fi
