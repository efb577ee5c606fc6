#!/usr/bin/env bash
# store_service_crm developer entry point.
#
#   ./dev.sh run     set up what is missing, create/update the demo database,
#                    serve Odoo on http://localhost:8069 (admin/admin)
#   ./dev.sh test    set up what is missing, lint every addon, install the addon
#                    alone in a throw-away database and run its whole test suite
#                    (pytest); then install the bridge addons (store_service_crm_*/)
#                    with their Odoo apps in a second one and run their tests
#   ./dev.sh setup   only the setup step (Odoo tree, system packages,
#                    PostgreSQL, virtualenv)
#   ./dev.sh update  create the demo database, or update the addon in it, and stop
#   ./dev.sh lint    ruff + pylint-odoo on the addon
#   ./dev.sh upgrade-check  install the previous release (.ci/previous-release)
#                    with demo data, upgrade it to this code, check no record
#                    is lost (part of `test`)
#   ./dev.sh readme  rebuild the addon's README.rst and static/description/
#                    index.html from its readme/*.md (OCA's oca-gen-addon-readme)
#   ./dev.sh wheel   build the addon's wheel (pyproject.toml, whool) in .odoo/dist
#   ./dev.sh prefork-check  serve DB_NAME a few seconds in prefork mode (2 HTTP
#                    workers, a cron worker, the gevent websocket process) and
#                    fail on a crash or a restarted gevent process (part of `test`)
#   ./dev.sh replica [stop|status]  a PostgreSQL streaming replica of the primary
#                    on 127.0.0.1:5433 and Odoo in prefork mode reading from it
#                    (workers on HTTP_PORT, a separate cron server); see
#                    docs/deploy.md
#   ./dev.sh i18n    regenerate i18n/store_service_crm.pot from the code and
#                    merge it into the .po files (lists what is untranslated)
#
# Settings (environment variables, all optional):
#   ODOO_SRC     Odoo 18.0 source tree            (default: $HOME/odoo-18.0)
#   VENV         project virtualenv               (default: ./.venv)
#   PYTHON       interpreter for the virtualenv   (default: python3)
#   DB_NAME      database served by `run`         (default: store_service_crm)
#   HTTP_PORT    port served by `run`             (default: 8069)
#   PGHOST PGPORT PGUSER PGPASSWORD   the PostgreSQL server (default: local socket)
#   TEST_ARGS    extra pytest arguments for `test` (e.g. "-k tier -x"); when set,
#                Odoo's own suites are not run
#   ODOO_SUITES  Odoo addons whose own tests `test` runs first, with the addon
#                installed (default: "sale sale_management rating"; empty: none)
#   KEEP_DB=1    keep the throw-away test and upgrade-check databases
#   NO_HTTP_TESTS=1  skip browser tours (HttpCase) in `test`
#   NO_UPGRADE_CHECK=1  skip the upgrade check in `test` (also skipped when
#                TEST_ARGS is set)
#   NO_BRIDGES=1 skip the second database of `test` (the bridge addons
#                store_service_crm_*/ with their Odoo apps, their tests and
#                Odoo's suites of those apps)
#   BRIDGE_ODOO_SUITES  Odoo suites (addon names or test files under
#                $ODOO_SRC/addons) run with the bridges installed, browser
#                tours excluded (default: pos_sale sale_stock sale_loyalty
#                point_of_sale)
#   BRIDGE_ODOO_TOURS  Odoo browser tours (pytest node ids under
#                $ODOO_SRC/addons) run next, with --odoo-http (default:
#                point_of_sale's three customer-list tours; empty: none)
#   WITH_BRIDGES=1  `run` / `update` install the bridges (and their apps:
#                Point of Sale, Inventory) in DB_NAME too
set -euo pipefail

PROJECT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ADDON=store_service_crm
# Bridge addons: store_service_crm_<app>/ beside the core addon (OCA layout,
# auto_install with the Odoo apps they join). The core is tested alone in a
# first database, the bridges with their apps in a second one.
bridges() { (cd "$PROJECT_DIR" && for d in "$ADDON"_*/; do [ -f "$d/__manifest__.py" ] && echo "${d%/}"; done; true); }
all_addons() { echo "$ADDON"; bridges; }
ODOO_SRC="${ODOO_SRC:-$HOME/odoo-18.0}"
VENV="${VENV:-$PROJECT_DIR/.venv}"
PYTHON="${PYTHON:-python3}"
DB_NAME="${DB_NAME:-store_service_crm}"
HTTP_PORT="${HTTP_PORT:-8069}"
STATE_DIR="$PROJECT_DIR/.odoo"          # config, filestore, logs (git-ignored)
LOG_DIR="$STATE_DIR/logs"
CONF="$STATE_DIR/odoo.conf"
ODOO_UPSTREAM="https://github.com/odoo/odoo.git"

DEB_BUILD_PKGS=(libldap2-dev libsasl2-dev libpq-dev)
DEB_TOOL_PKGS=(wkhtmltopdf chromium fonts-noto-cjk poppler-utils)

say() { printf '[dev] %s\n' "$*" >&2; }
die() { printf '[dev] ERROR: %s\n' "$*" >&2; exit 2; }
is_root() { [ "$(id -u)" = 0 ]; }
have() { command -v "$1" >/dev/null 2>&1; }

missing_debs() {
    local p out=()
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || out+=("$p")
    done
    echo "${out[@]:-}"
}

apt_install() {
    [ $# -gt 0 ] || return 0
    say "installing Debian packages: $*"
    if [ ! -f "$STATE_DIR/.apt-updated" ]; then
        apt-get update -qq >"$LOG_DIR/apt.log" 2>&1 || true
        touch "$STATE_DIR/.apt-updated"
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" \
        >>"$LOG_DIR/apt.log" 2>&1 || die "apt-get install $* failed (see $LOG_DIR/apt.log)"
}

# --- Odoo source --------------------------------------------------------------
setup_odoo_src() {
    if [ -f "$ODOO_SRC/odoo-bin" ] && [ -f "$ODOO_SRC/requirements.txt" ]; then
        return 0
    fi
    if [ -e "$ODOO_SRC" ] && [ -n "$(ls -A "$ODOO_SRC" 2>/dev/null)" ]; then
        die "ODOO_SRC=$ODOO_SRC exists but holds no Odoo tree (no odoo-bin): point ODOO_SRC at an Odoo 18.0 checkout."
    fi
    if have git && timeout 20 git ls-remote --heads "$ODOO_UPSTREAM" 18.0 >/dev/null 2>&1; then
        say "no Odoo tree at $ODOO_SRC: cloning Odoo 18.0 (shallow, ~1 GB)"
        mkdir -p "$(dirname "$ODOO_SRC")"
        git clone --quiet --depth 1 -b 18.0 "$ODOO_UPSTREAM" "$ODOO_SRC" \
            || die "cloning Odoo 18.0 into $ODOO_SRC failed"
        return 0
    fi
    die "no Odoo 18.0 tree at ODOO_SRC=$ODOO_SRC and Odoo's git server is unreachable: put an Odoo 18.0 source tree there (git clone -b 18.0 --depth 1 $ODOO_UPSTREAM) or set ODOO_SRC to one, then rerun."
}

# --- Debian packages -------------------------------------------------------------
setup_system() {
    mkdir -p "$LOG_DIR"
    have dpkg-query || { say "not a Debian system: make sure libldap/libsasl/libpq headers, PostgreSQL, wkhtmltopdf and chromium are installed"; return 0; }
    local build tools
    build=$(missing_debs "${DEB_BUILD_PKGS[@]}")
    tools=$(missing_debs "${DEB_TOOL_PKGS[@]}")
    if is_root; then
        # shellcheck disable=SC2086
        apt_install $build $tools
    else
        if [ -n "$build" ] && [ ! -f "$VENV/.stamp" ]; then
            die "missing Debian build libraries for Odoo's Python packages: sudo apt-get install $build   (then rerun)"
        fi
        [ -z "$tools" ] || say "WARNING: missing Debian packages (PDF reports / browser tours need them): sudo apt-get install $tools"
    fi
}

# --- PostgreSQL ---------------------------------------------------------------
pg_ok() { psql -X -q -d postgres -tAc 'select 1' >/dev/null 2>&1; }

setup_postgres() {
    if have psql && pg_ok; then return 0; fi
    if is_root && have apt-get; then
        [ -z "$(missing_debs postgresql)" ] || apt_install postgresql
        local ver
        ver=$(pg_lsclusters -h 2>/dev/null | awk 'NR==1{print $1}')
        if [ -z "$ver" ]; then
            ver=$(ls /usr/lib/postgresql | sort -V | tail -1)
            pg_createcluster "$ver" main >>"$LOG_DIR/postgres.log" 2>&1
        fi
        say "starting PostgreSQL $ver cluster"
        pg_ctlcluster "$ver" main start >>"$LOG_DIR/postgres.log" 2>&1 || true
        local i
        for i in $(seq 1 30); do
            su postgres -c "psql -X -q -tAc 'select 1'" >/dev/null 2>&1 && break
            sleep 1
        done
        local role="${PGUSER:-$(id -un)}"
        su postgres -c "psql -X -q -tAc \"select 1 from pg_roles where rolname='$role'\"" | grep -q 1 \
            || su postgres -c "createuser --superuser '$role'" >>"$LOG_DIR/postgres.log" 2>&1
        pg_ok || die "PostgreSQL started but role '$role' cannot connect (see $LOG_DIR/postgres.log)"
        return 0
    fi
    die "no PostgreSQL server answers (PGHOST=${PGHOST:-local socket}, PGUSER=${PGUSER:-$(id -un)}): start one and give your user a role that may create databases (sudo -u postgres createuser -d $(id -un)), or set PGHOST/PGPORT/PGUSER/PGPASSWORD."
}

# --- Python virtualenv ------------------------------------------------------------
setup_venv() {
    local stamp want
    want=$(cat "$ODOO_SRC/requirements.txt" "$PROJECT_DIR/requirements.txt" | sha1sum | cut -c1-16)
    stamp="$VENV/.stamp"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
    have "$PYTHON" || die "$PYTHON not found: install Python 3.10-3.12 (Debian: apt-get install python3 python3-venv) or set PYTHON"
    [ -x "$VENV/bin/python" ] || { say "creating virtualenv $VENV"; "$PYTHON" -m venv "$VENV" || die "could not create a virtualenv with $PYTHON (Debian: apt-get install python3-venv)"; }
    say "installing Python requirements into $VENV (log: $LOG_DIR/pip.log)"
    PIP_CONSTRAINT="$PROJECT_DIR/constraints-build.txt" PIP_DISABLE_PIP_VERSION_CHECK=1 \
        "$VENV/bin/pip" install -q -r "$ODOO_SRC/requirements.txt" -r "$PROJECT_DIR/requirements.txt" \
        >"$LOG_DIR/pip.log" 2>&1 || { tail -20 "$LOG_DIR/pip.log" >&2; die "pip install failed (full log: $LOG_DIR/pip.log)"; }
    echo "$want" >"$stamp"
}

# Odoo runs from ODOO_SRC: make it importable in the virtualenv (pytest-odoo,
# pylint), following ODOO_SRC when it changes.
link_odoo_src() {
    local site
    site=$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
    echo "$ODOO_SRC" >"$site/odoo_src.pth"
}

write_conf() {
    mkdir -p "$STATE_DIR/data" "$LOG_DIR"
    cat >"$CONF" <<EOF
[options]
addons_path = $ODOO_SRC/odoo/addons,$ODOO_SRC/addons,$PROJECT_DIR
data_dir = $STATE_DIR/data
admin_passwd = admin
db_host = ${PGHOST:-False}
db_port = ${PGPORT:-False}
db_user = ${PGUSER:-False}
db_password = ${PGPASSWORD:-False}
http_interface = 127.0.0.1
http_port = $HTTP_PORT
list_db = False
without_demo = False
EOF
}

setup() {
    mkdir -p "$LOG_DIR"
    setup_odoo_src
    setup_system
    setup_postgres
    setup_venv
    link_odoo_src
    write_conf
}

odoo_bin() { "$VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$CONF" "$@"; }
db_exists() { psql -X -d postgres -tAc "select 1 from pg_database where datname='$1'" | grep -q 1; }
addon_hash() { (cd "$PROJECT_DIR" && find $(all_addons) -type f ! -path '*/tests/*' ! -name '*.pyc' -print0 | sort -z | xargs -0 sha1sum | sha1sum | cut -c1-16); }

# --- commands -------------------------------------------------------------------
# Create the demo database, or update the addon in it when its files changed.
ensure_db() {
    local stamp="$STATE_DIR/$DB_NAME.addon-hash" h install="$ADDON"
    h=$(addon_hash)
    # WITH_BRIDGES=1: the bridges too, with the Odoo apps they join
    [ -z "${WITH_BRIDGES:-}" ] || install=$(all_addons | paste -sd,)
    if ! db_exists "$DB_NAME"; then
        say "creating database $DB_NAME with $install, demo data and Chinese (zh_CN) (log: $LOG_DIR/install.log)"
        odoo_bin -d "$DB_NAME" -i "$install" --load-language=zh_CN --stop-after-init --logfile "$LOG_DIR/install.log" \
            || die "installing $ADDON failed (see $LOG_DIR/install.log)"
        echo "$h" >"$stamp"
    elif [ "$(cat "$stamp" 2>/dev/null)" != "$h" ]; then
        say "addon changed since last run: updating $install in $DB_NAME (log: $LOG_DIR/install.log)"
        # -i installs the bridges not installed yet, -u updates the rest
        odoo_bin -d "$DB_NAME" -i "$install" -u "$install" --stop-after-init --logfile "$LOG_DIR/install.log" \
            || die "updating $ADDON failed (see $LOG_DIR/install.log)"
        echo "$h" >"$stamp"
    fi
}

cmd_run() {
    setup
    ensure_db
    say "serving $DB_NAME on http://localhost:$HTTP_PORT (login admin / admin; Ctrl-C stops)"
    exec "$VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$CONF" -d "$DB_NAME" --db-filter="^$DB_NAME\$" "$@"
}

# The virtualenv, up to date with the requirements (lint, readme and wheel need
# no database).
tools_ready() {
    mkdir -p "$LOG_DIR"
    setup_odoo_src
    setup_venv
    link_odoo_src
}

# OCA's oca-gen-addon-readme (scripts/oca_gen_addon_readme/, vendored) on the
# addon directory $1: README.rst and static/description/index.html from
# readme/*.md and the manifest. Extra arguments go to the tool.
gen_readme() {
    local dir="$1"
    shift
    PYTHONPATH="$PROJECT_DIR/scripts${PYTHONPATH:+:$PYTHONPATH}" "$VENV/bin/python" \
        -m oca_gen_addon_readme.gen_addon_readme --org-name=store-service-crm \
        --repo-name=store_service_crm --branch=18.0 --addon-dir="$dir" "$@"
}

cmd_readme() {
    tools_ready
    local a
    for a in $(all_addons); do
        gen_readme "$PROJECT_DIR/$a"
        say "$a/README.rst and $a/static/description/index.html rebuilt from $a/readme/"
    done
}

# README.rst and index.html must be what oca-gen-addon-readme builds from the
# fragments (built in a copy; the source digest is the one of the file, as
# OCA's pre-commit hook does with --keep-source-digest).
check_readme() {
    local ADDON="${1:-$ADDON}" tmp f rc=0
    tmp=$(mktemp -d)
    mkdir -p "$tmp/$ADDON/static/description"
    cp -r "$PROJECT_DIR/$ADDON/__manifest__.py" "$PROJECT_DIR/$ADDON/readme" "$tmp/$ADDON/"
    for f in README.rst static/description/index.html; do
        [ ! -f "$PROJECT_DIR/$ADDON/$f" ] || cp "$PROJECT_DIR/$ADDON/$f" "$tmp/$ADDON/$f"
    done
    gen_readme "$tmp/$ADDON" --keep-source-digest || rc=$?
    for f in README.rst static/description/index.html; do
        [ $rc -ne 0 ] && break
        if ! cmp -s "$tmp/$ADDON/$f" "$PROJECT_DIR/$ADDON/$f"; then
            diff -u "$PROJECT_DIR/$ADDON/$f" "$tmp/$ADDON/$f" | head -20 >&2 || true
            say "$ADDON/$f is not what its readme/ fragments build: run ./dev.sh readme and commit"
            rc=1
        fi
    done
    rm -rf "$tmp"
    return $rc
}

cmd_wheel() {
    tools_ready
    local out="$STATE_DIR/dist" a
    rm -rf "$out"
    mkdir -p "$out"
    : >"$LOG_DIR/wheel.log"
    for a in $(all_addons); do
        # --no-isolation: whool comes from requirements.txt (no download at build time)
        "$VENV/bin/python" -m build --wheel --no-isolation --outdir "$out" "$PROJECT_DIR/$a" \
            >>"$LOG_DIR/wheel.log" 2>&1 || { tail -20 "$LOG_DIR/wheel.log" >&2; die "building the wheel of $a failed (see $LOG_DIR/wheel.log)"; }
    done
    say "wheels: $(cd "$out" && ls ./*.whl | tr '\n' ' ')"
}

cmd_lint() {
    tools_ready
    local addons a
    mapfile -t addons < <(all_addons)
    say "ruff (${addons[*]}, scripts, benchmarks)"
    (cd "$PROJECT_DIR" && "$VENV/bin/ruff" check "${addons[@]}" scripts benchmarks)
    (cd "$PROJECT_DIR" && "$VENV/bin/ruff" format --check "${addons[@]}" scripts benchmarks)
    say "README.rst up to date (oca-gen-addon-readme)"
    for a in "${addons[@]}"; do
        check_readme "$a" || die "$a's README.rst is out of date"
    done
    say "no method over 80 lines without a reason (scripts/long_methods.py)"
    (cd "$PROJECT_DIR" && "$VENV/bin/python" scripts/long_methods.py 80 "${addons[@]}" >/dev/null) \
        || { (cd "$PROJECT_DIR" && "$VENV/bin/python" scripts/long_methods.py 80 "${addons[@]}" | grep "NO REASON") >&2; die "a method over 80 lines gives no reason in its docstring (\"Long on purpose: ...\")"; }
    say "pylint-odoo (OCA's checks, .pylintrc)"
    (cd "$PROJECT_DIR" && "$VENV/bin/pylint" --rcfile=.pylintrc "${addons[@]}")
}

# Throw-away databases (and temporary directories) removed when dev.sh exits,
# unless KEEP_DB=1.
CLEANUP_DBS=()
CLEANUP_DIRS=()
cleanup() {
    local d
    if [ -z "${KEEP_DB:-}" ]; then
        for d in "${CLEANUP_DBS[@]}"; do
            dropdb --if-exists "$d" >/dev/null 2>&1 || true
            rm -rf "${STATE_DIR:?}/data/filestore/$d"
        done
    fi
    for d in "${CLEANUP_DIRS[@]}"; do rm -rf "$d"; done
}
trap cleanup EXIT

# Fail when an Odoo log holds an ERROR or CRITICAL line.
check_log() {
    if grep -E '^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) ' "$1" >&2; then
        die "$2 logged errors (see $1)"
    fi
}

# The previous release's commit: the first line of .ci/previous-release that
# is not a comment.
previous_release() { grep -v -E '^[[:space:]]*(#|$)' "$PROJECT_DIR/.ci/previous-release" | head -1 | tr -d '[:space:]'; }

UPGRADE_DB="ssc_upgrade_$$"
UPGRADE_DIR="$STATE_DIR/previous-release-$$"
# Upgrade check: a database with the previous release (and its demo data) is
# upgraded with the current code; no ERROR in the log, no record lost
# (scripts/upgrade_check.py names what was lost).
cmd_upgrade_check() {
    local commit db="$UPGRADE_DB" tmp="$UPGRADE_DIR" conf_prev snap
    commit=$(previous_release)
    [ -n "$commit" ] || die "no commit in .ci/previous-release"
    if ! git -C "$PROJECT_DIR" cat-file -e "$commit^{commit}" 2>/dev/null; then
        say "previous release $commit is not in this clone (shallow?): fetching it from origin"
        timeout 120 git -C "$PROJECT_DIR" fetch --quiet --depth=1 origin "$commit" >&2 2>/dev/null \
            || die "the previous release $commit (.ci/previous-release) is not in this git clone and cannot be fetched: clone with its history (git clone without --depth, or git fetch --unshallow), or run with NO_UPGRADE_CHECK=1"
    fi
    CLEANUP_DIRS+=("$tmp")
    CLEANUP_DBS+=("$db")
    rm -rf "$tmp" && mkdir -p "$tmp"
    git -C "$PROJECT_DIR" archive "$commit" "$ADDON" | tar -x -C "$tmp" \
        || die "cannot extract $ADDON of the previous release $commit"
    conf_prev="$tmp/odoo.conf"
    sed "s|^addons_path = .*|addons_path = $ODOO_SRC/odoo/addons,$ODOO_SRC/addons,$tmp|" "$CONF" >"$conf_prev"
    snap="$tmp/upgrade-snapshot.json"
    : >"$LOG_DIR/upgrade-previous.log"
    : >"$LOG_DIR/upgrade.log"
    say "upgrade check: installing the previous release ${commit:0:9} (with demo data) in $db (log: $LOG_DIR/upgrade-previous.log)"
    "$VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$conf_prev" -d "$db" -i "$ADDON" --stop-after-init \
        --logfile "$LOG_DIR/upgrade-previous.log" \
        || die "installing the previous release failed (see $LOG_DIR/upgrade-previous.log)"
    check_log "$LOG_DIR/upgrade-previous.log" "installing the previous release"
    "$VENV/bin/python" "$PROJECT_DIR/scripts/upgrade_check.py" -c "$conf_prev" -d "$db" snapshot "$snap" \
        || die "upgrade check: recording the previous release's records failed"
    say "upgrade check: upgrading $db to this code (-u $ADDON; log: $LOG_DIR/upgrade.log)"
    odoo_bin -d "$db" -u "$ADDON" --stop-after-init --logfile "$LOG_DIR/upgrade.log" \
        || die "upgrading $ADDON from the previous release failed (see $LOG_DIR/upgrade.log)"
    check_log "$LOG_DIR/upgrade.log" "upgrading $ADDON from the previous release"
    "$VENV/bin/python" "$PROJECT_DIR/scripts/upgrade_check.py" -c "$CONF" -d "$db" verify "$snap" \
        || die "upgrade check failed: the upgrade from ${commit:0:9} lost records (listed above)"
}

cmd_test() {
    setup
    cmd_lint
    cmd_wheel
    local db="ssc_test_$$" rc=0
    CLEANUP_DBS+=("$db")
    say "installing $ADDON (with demo data) in throw-away database $db (log: $LOG_DIR/test-install.log)"
    : >"$LOG_DIR/test-install.log"  # Odoo appends: check this run's lines only
    odoo_bin -d "$db" -i "$ADDON" --stop-after-init --logfile "$LOG_DIR/test-install.log" \
        || die "installing $ADDON failed (see $LOG_DIR/test-install.log)"
    check_log "$LOG_DIR/test-install.log" "installing $ADDON"
    (prefork_check "$db") || rc=$?
    if [ -z "${TEST_ARGS:-}" ] && [ -z "${NO_UPGRADE_CHECK:-}" ]; then
        # in a subshell: a failure is reported and the test suites still run
        CLEANUP_DBS+=("$UPGRADE_DB")
        CLEANUP_DIRS+=("$UPGRADE_DIR")
        (cmd_upgrade_check) || rc=$?
    fi
    # scripts/pytest_odoo_test_mode.py: Odoo's test framework imported in test
    # mode (no "Importing test framework" ERROR stack from pytest-odoo)
    local pytest=(env PYTHONPATH="$PROJECT_DIR/scripts${PYTHONPATH:+:$PYTHONPATH}"
        "$VENV/bin/pytest" -p no:cacheprovider -p pytest_odoo_test_mode
        --odoo-database="$db" --odoo-log-level=warn)
    local suites=() m
    for m in ${ODOO_SUITES-sale sale_management rating}; do suites+=("$ODOO_SRC/addons/$m/tests"); done
    if [ ${#suites[@]} -gt 0 ] && [ -z "${TEST_ARGS:-}" ]; then
        say "Odoo's own suites with $ADDON installed: ${ODOO_SUITES-sale sale_management rating} (browser tours excluded)"
        (cd "$PROJECT_DIR" && OPENERP_SERVER="$CONF" "${pytest[@]}" -q "${suites[@]}") || rc=$?
    fi
    local http=(--odoo-http)
    [ -z "${NO_HTTP_TESTS:-}" ] || http=()
    say "running the $ADDON test suite"
    # shellcheck disable=SC2086
    (cd "$PROJECT_DIR" && OPENERP_SERVER="$CONF" SSC_ODOO_SRC="$ODOO_SRC" SSC_ODOO_CONF="$CONF" \
        "${pytest[@]}" "${http[@]}" ${TEST_ARGS:-} "$ADDON/tests") || rc=$?
    [ -z "${NO_BRIDGES:-}" ] || return $rc
    test_bridges || rc=$?
    return $rc
}

# Default Odoo suites run with the bridges installed, without their browser
# tours (pytest-odoo skips every HttpCase without --odoo-http): the whole suites
# of pos_sale, sale_stock, sale_loyalty and point_of_sale.
BRIDGE_SUITES_DEFAULT="pos_sale sale_stock sale_loyalty point_of_sale"
# Then, with the HTTP server and Chromium, point_of_sale's tours of the POS
# customer list, where the bridge shows the tier (BRIDGE_ODOO_TOURS: pytest node
# ids under $ODOO_SRC/addons). Left out: the rest of its tour set (59 in TestUi,
# run again by MobileTestUi, plus the cash rounding, controller and backend
# tours: over half an hour more on 2 cores, beyond CI's 30 minutes); its order
# tours also time out on a loaded machine (README).
BRIDGE_TOURS_DEFAULT="
    point_of_sale/tests/test_frontend.py::TestUi::test_customer_all_fields_displayed
    point_of_sale/tests/test_frontend.py::TestUi::test_customer_search_more
    point_of_sale/tests/test_frontend.py::TestUi::test_res_partner_scan_barcode
"

# Second throw-away database: every bridge installed with the Odoo apps it
# joins (and demo data); Odoo's suites of those apps, then each bridge's tests.
test_bridges() {
    local addons db="ssc_test_bridges_$$" rc=0 m
    mapfile -t addons < <(bridges)
    [ ${#addons[@]} -gt 0 ] || return 0
    CLEANUP_DBS+=("$db")
    say "installing the bridges ${addons[*]} with their apps (with demo data) in throw-away database $db (log: $LOG_DIR/test-install-bridges.log)"
    : >"$LOG_DIR/test-install-bridges.log"
    odoo_bin -d "$db" -i "$(IFS=,; echo "${addons[*]}")" --stop-after-init \
        --logfile "$LOG_DIR/test-install-bridges.log" \
        || die "installing the bridges failed (see $LOG_DIR/test-install-bridges.log)"
    check_log "$LOG_DIR/test-install-bridges.log" "installing the bridges"
    local pytest=(env PYTHONPATH="$PROJECT_DIR/scripts${PYTHONPATH:+:$PYTHONPATH}"
        "$VENV/bin/pytest" -p no:cacheprovider -p pytest_odoo_test_mode
        --odoo-database="$db" --odoo-log-level=warn)
    local suites=()
    for m in ${BRIDGE_ODOO_SUITES-$BRIDGE_SUITES_DEFAULT}; do
        [ -d "$ODOO_SRC/addons/$m" ] && m="$m/tests"
        suites+=("$ODOO_SRC/addons/$m")
    done
    if [ ${#suites[@]} -gt 0 ] && [ -z "${TEST_ARGS:-}" ]; then
        say "Odoo's own suites with the bridges installed: ${BRIDGE_ODOO_SUITES-$BRIDGE_SUITES_DEFAULT} (browser tours excluded)"
        (cd "$PROJECT_DIR" && OPENERP_SERVER="$CONF" "${pytest[@]}" -q "${suites[@]}") || rc=$?
    fi
    local tours=()
    for m in ${BRIDGE_ODOO_TOURS-$BRIDGE_TOURS_DEFAULT}; do tours+=("$ODOO_SRC/addons/$m"); done
    if [ ${#tours[@]} -gt 0 ] && [ -z "${TEST_ARGS:-}" ] && [ -z "${NO_HTTP_TESTS:-}" ]; then
        say "Odoo's browser tours with the bridges installed: ${tours[*]#"$ODOO_SRC/addons/"}"
        (cd "$PROJECT_DIR" && OPENERP_SERVER="$CONF" "${pytest[@]}" --odoo-http -q "${tours[@]}") || rc=$?
    fi
    local http=(--odoo-http)
    [ -z "${NO_HTTP_TESTS:-}" ] || http=()
    say "running the bridges' test suites: ${addons[*]}"
    # shellcheck disable=SC2086
    (cd "$PROJECT_DIR" && OPENERP_SERVER="$CONF" SSC_ODOO_SRC="$ODOO_SRC" SSC_ODOO_CONF="$CONF" \
        "${pytest[@]}" "${http[@]}" ${TEST_ARGS:-} "${addons[@]/%//tests}") || rc=$?
    return $rc
}

# Prefork smoke check (scripts/prefork_check.py): Odoo with --workers on the
# database $1 for a few seconds; fails on a Traceback/ERROR in its output or
# a gevent (websocket/bus) process that had to be restarted.
prefork_check() {
    say "prefork check: $1 served by 2 HTTP workers, a cron worker and the gevent process for a few seconds"
    "$VENV/bin/python" "$PROJECT_DIR/scripts/prefork_check.py" "$ODOO_SRC/odoo-bin" -c "$CONF" -d "$1" \
        >"$LOG_DIR/prefork-check.log" 2>&1 \
        || { tail -40 "$LOG_DIR/prefork-check.log" >&2; die "the prefork server did not run clean (see $LOG_DIR/prefork-check.log)"; }
    tail -1 "$LOG_DIR/prefork-check.log" >&2
}

cmd_i18n() {
    setup
    ensure_db
    local pot="$STATE_DIR/$ADDON.pot"
    say "exporting the terms of $ADDON from $DB_NAME"
    odoo_bin -d "$DB_NAME" --i18n-export="$pot" --modules="$ADDON" --stop-after-init --logfile "$LOG_DIR/i18n.log"
    "$VENV/bin/python" "$PROJECT_DIR/scripts/i18n_merge.py" "$pot" "$PROJECT_DIR/$ADDON/i18n"
}

case "${1:-}" in
    run) shift; cmd_run "$@" ;;
    test) shift; cmd_test "$@" ;;
    setup) setup; say "setup done: Odoo at $ODOO_SRC, virtualenv $VENV, config $CONF" ;;
    lint) cmd_lint ;;
    readme) cmd_readme ;;
    wheel) cmd_wheel ;;
    upgrade-check) setup; cmd_upgrade_check ;;
    i18n) cmd_i18n ;;
    replica) shift; setup
        # starting serves the addon as it is: the database is updated first
        case "${1:-start}" in start) ensure_db ;; esac
        PROJECT_DIR="$PROJECT_DIR" CONF="$CONF" VENV="$VENV" ODOO_SRC="$ODOO_SRC" STATE_DIR="$STATE_DIR" \
            DB_NAME="$DB_NAME" HTTP_PORT="$HTTP_PORT" exec bash "$PROJECT_DIR/scripts/replica.sh" "$@" ;;
    prefork-check) setup; ensure_db; prefork_check "$DB_NAME" ;;
    update) setup; ensure_db; say "database $DB_NAME is up to date" ;;
    *) sed -n '2,/^set -euo pipefail/p' "$0" | grep '^#' | sed 's/^# \{0,1\}//'; exit 1 ;;
esac
