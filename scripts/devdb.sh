#!/usr/bin/env bash
# devdb.sh — find or start a PostgreSQL server for Puente development and tests.
#
# Usage:
#   scripts/devdb.sh url [DBNAME]   print a libpq URL for a server that answers
#                                   (DBNAME defaults to "puente" and is created
#                                   if missing; ignored when DATABASE_URL is used)
#   scripts/devdb.sh status         say which server is (or would be) used
#   scripts/devdb.sh stop           stop the private cluster, if it is running
#
# Resolution order for "url":
#   1. $DATABASE_URL, if set and it answers: printed unchanged.
#   2. A server on 127.0.0.1:5432 that accepts user "postgres" without a
#      password (skip with PUENTE_DEVDB_SKIP_LOCAL=1).
#   3. A private cluster under <repo>/.data/pg (initialised and started on
#      demand, re-used when already running), listening on 127.0.0.1 only, on
#      the first free port from 54329 up, with its unix socket in
#      <repo>/.data/pg/sock so it never collides with /var/run/postgresql.
#
# Only the URL (or the status report) goes to stdout; diagnostics go to stderr.
#
# Running as root: PostgreSQL refuses to run as root, so initdb/pg_ctl are run
# as the "postgres" OS user (runuser -u postgres --) and the cluster directory
# is chowned to that user. If the postgres user cannot traverse into
# <repo>/.data (e.g. the repository lives under /root, mode 0700), the cluster
# is placed in /tmp/puente-pg-<hash of repo path> instead and
# <repo>/.data/pg is made a symlink to it, so later calls (and "stop") find it.
# Note that "rm -rf .data" then only removes the symlink, and that /tmp may be
# wiped on reboot (the cluster is then simply re-initialised).
set -euo pipefail

PROG=devdb.sh
BASE_PORT=54329
MAX_PORT=$((BASE_PORT + 200))

die() { printf '%s: error: %s\n' "$PROG" "$*" >&2; exit 1; }
log() { printf '%s: %s\n' "$PROG" "$*" >&2; }

usage() {
	cat >&2 <<EOF
usage: $0 url [DBNAME]   print a postgres:// URL (DBNAME defaults to puente)
       $0 status         say which server is used
       $0 stop           stop the private cluster started by this script
EOF
	exit 2
}

# Repository root: the parent of the directory holding this script.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
DATA_PARENT="$ROOT/.data"
PGLINK="$DATA_PARENT/pg"
IS_ROOT=0
[[ "$(id -u)" == 0 ]] && IS_ROOT=1

# ---------------------------------------------------------------- clients --

PSQL=$(command -v psql || true)

find_psql() {
	[[ -n "$PSQL" ]] && return 0
	local d
	for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV); do
		if [[ -x "$d/psql" ]]; then PSQL="$d/psql"; return 0; fi
	done
	die "psql not found (install the PostgreSQL client, e.g. apt-get install postgresql-client)"
}

# psql against a server we address explicitly (steps 2 and 3): no password,
# no ~/.pgpass, no service file, no psqlrc, no TLS, bounded connect time.
# (PGPASSFILE points at a path that cannot exist: libpq silently skips it,
# whereas /dev/null draws a "not a plain file" warning.)
pgc() {
	env -u PGPASSWORD -u PGSERVICE -u PGSERVICEFILE -u PGHOSTADDR -u PGREQUIRESSL \
		PGPASSFILE=/dev/null/none PGSSLMODE=disable \
		PGCONNECT_TIMEOUT="${PGCONNECT_TIMEOUT:-3}" \
		"$PSQL" -X -w -q "$@"
}

# Does DATABASE_URL answer? Uses the caller's environment untouched except
# that psql must never prompt.
database_url_answers() {
	if [[ -n "$PSQL" ]]; then
		PGCONNECT_TIMEOUT="${PGCONNECT_TIMEOUT:-3}" \
			"$PSQL" -X -w -q "$DATABASE_URL" -Atc 'select 1' >/dev/null 2>&1
	elif command -v pg_isready >/dev/null 2>&1; then
		pg_isready -q -t 3 -d "$DATABASE_URL" >/dev/null 2>&1
	else
		return 1
	fi
}

local_answers() {
	pgc -h 127.0.0.1 -p 5432 -U postgres -d postgres -Atc 'select 1' >/dev/null 2>&1
}

# ensure_db HOST PORT DBNAME — create DBNAME if it does not exist.
ensure_db() {
	local host=$1 port=$2 db=$3 out err errf
	errf=$(mktemp)
	if ! out=$(pgc -h "$host" -p "$port" -U postgres -d postgres -Atc \
		"select 1 from pg_database where datname = '$db'" 2>"$errf"); then
		err=$(<"$errf"); rm -f "$errf"
		die "cannot query $host:$port as postgres: $err"
	fi
	rm -f "$errf"
	[[ "$out" == 1 ]] && return 0
	log "creating database $db on $host:$port"
	if ! err=$(pgc -h "$host" -p "$port" -U postgres -d postgres \
		-c "create database \"$db\"" 2>&1 >/dev/null); then
		# Lost a race with a concurrent caller? Then it exists now.
		out=$(pgc -h "$host" -p "$port" -U postgres -d postgres -Atc \
			"select 1 from pg_database where datname = '$db'" 2>/dev/null || true)
		[[ "$out" == 1 ]] || die "could not create database $db on $host:$port: $err"
	fi
}

url_for() { printf 'postgres://postgres@%s:%s/%s?sslmode=disable\n' "$1" "$2" "$3"; }

# ------------------------------------------------------- server binaries --

PGBIN=""

bin_major() { "$1/pg_ctl" --version 2>/dev/null | sed -E 's/.* ([0-9]+)[.0-9a-z]*.*/\1/;q'; }

find_server_bins() {
	[[ -n "$PGBIN" ]] && return 0
	local initdb pg_ctl d
	initdb=$(command -v initdb || true)
	pg_ctl=$(command -v pg_ctl || true)
	if [[ -n "$initdb" && -n "$pg_ctl" ]]; then
		# Resolve symlinks so both come from the same installation if possible.
		d=$(dirname "$(readlink -f "$pg_ctl")")
		if [[ -x "$d/initdb" && -x "$d/pg_ctl" ]]; then PGBIN=$d; else PGBIN=$(dirname "$pg_ctl"); fi
	else
		for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV); do
			if [[ -x "$d/initdb" && -x "$d/pg_ctl" ]]; then PGBIN=$d; break; fi
		done
	fi
	[[ -n "$PGBIN" ]] || die "no PostgreSQL server binaries found (initdb/pg_ctl not on PATH and none under /usr/lib/postgresql/*/bin); install e.g. the postgresql package, or set DATABASE_URL"

	# An existing cluster must be run by binaries of the same major version.
	local pgdata_ver="" have
	[[ -n "${PGDATA_DIR:-}" && -f "$PGDATA_DIR/PG_VERSION" ]] && pgdata_ver=$(<"$PGDATA_DIR/PG_VERSION")
	if [[ -n "$pgdata_ver" ]]; then
		have=$(bin_major "$PGBIN")
		if [[ "$have" != "$pgdata_ver" ]]; then
			if [[ -x "/usr/lib/postgresql/$pgdata_ver/bin/pg_ctl" ]]; then
				PGBIN="/usr/lib/postgresql/$pgdata_ver/bin"
			else
				die "cluster in $PGDATA_DIR is PostgreSQL $pgdata_ver but the binaries in $PGBIN are version ${have:-unknown}; run '$0 stop' and remove $PGDIR to re-initialise"
			fi
		fi
	fi
}

# Run a server binary, as the postgres OS user when we are root. fd 9 (the
# lock, see lock_private) is closed so the postmaster does not inherit it and
# hold the lock forever.
as_pg() {
	if ((IS_ROOT)); then
		command -v runuser >/dev/null 2>&1 || die "running as root but runuser is not available"
		(cd / && runuser -u postgres -- "$@") 9>&-
	else
		"$@" 9>&-
	fi
}

# --------------------------------------------------------- cluster layout --

short_hash() {
	if command -v sha256sum >/dev/null 2>&1; then
		printf '%s' "$1" | sha256sum | cut -c1-12
	else
		printf '%s' "$1" | cksum | cut -d' ' -f1
	fi
}

# resolve_pgdir [create] — set PGDIR (real, absolute cluster directory),
# PGDATA_DIR, SOCKDIR, LOGFILE, PORTFILE. Without "create" nothing is made.
resolve_pgdir() {
	local create=${1:-}
	if [[ -L "$PGLINK" ]]; then
		PGDIR=$(readlink "$PGLINK")
	elif [[ -d "$PGLINK" || "$create" != create ]]; then
		PGDIR=$PGLINK
	else
		# First use: decide where the cluster lives.
		mkdir -p "$DATA_PARENT"
		PGDIR=$PGLINK
		if ((IS_ROOT)); then
			id postgres >/dev/null 2>&1 || die "running as root, but there is no 'postgres' OS user to run the server as (create one, e.g. useradd -r -m postgres)"
			chmod a+rx "$DATA_PARENT" 2>/dev/null || true
			# Every directory from / down to .data must be traversable by postgres.
			local dirs=() d=$DATA_PARENT
			while [[ "$d" != / ]]; do dirs+=("$d"); d=$(dirname "$d"); done
			if ! (cd / && runuser -u postgres -- sh -c 'for d do test -x "$d" || exit 1; done' sh "${dirs[@]}") 2>/dev/null; then
				PGDIR="/tmp/puente-pg-$(short_hash "$ROOT")"
				log "postgres user cannot traverse into $DATA_PARENT; placing the cluster in $PGDIR (symlinked from $PGLINK)"
				ln -sfn "$PGDIR" "$PGLINK"
			fi
		fi
	fi
	PGDATA_DIR="$PGDIR/data"
	LOGFILE="$PGDIR/log"
	PORTFILE="$PGDIR/port"
	SOCKDIR="$PGDIR/sock"
	# Unix socket paths are limited to ~107 bytes; use /tmp for deep checkouts.
	if ((${#SOCKDIR} + 20 > 100)); then
		SOCKDIR="/tmp/puente-pgsock-$(short_hash "$ROOT")"
	fi
	if [[ "$create" == create ]]; then
		if [[ "$PGDIR" == /tmp/* && -e "$PGDIR" && ! -O "$PGDIR" ]] &&
			[[ "$(stat -c %U "$PGDIR")" != postgres ]]; then
			die "$PGDIR exists and is owned by someone else; refusing to use it"
		fi
		mkdir -p -m 0700 "$PGDIR" "$SOCKDIR"
		if ((IS_ROOT)) && [[ "$(stat -c %U "$PGDIR")" != postgres || "$(stat -c %U "$SOCKDIR")" != postgres ]]; then
			chown -R postgres: "$PGDIR" "$SOCKDIR"
		fi
	fi
}

cluster_running() {
	[[ -f "$PGDATA_DIR/PG_VERSION" ]] || return 1
	as_pg "$PGBIN/pg_ctl" status -D "$PGDATA_DIR" >/dev/null 2>&1
}

# Port of the running cluster (line 4 of postmaster.pid), else the stored one.
running_port() {
	local p=""
	[[ -r "$PGDATA_DIR/postmaster.pid" ]] && p=$(sed -n 4p "$PGDATA_DIR/postmaster.pid")
	[[ -z "$p" && -r "$PORTFILE" ]] && p=$(<"$PORTFILE")
	printf '%s\n' "$p"
}

port_in_use() {
	local p=$1
	if command -v ss >/dev/null 2>&1; then
		[[ -n "$(ss -Hltn "sport = :$p" 2>/dev/null)" ]]
	else
		(exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null
	fi
}

pick_port() {
	local p
	if [[ -r "$PORTFILE" ]]; then
		p=$(<"$PORTFILE")
		if [[ "$p" =~ ^[0-9]+$ ]] && ! port_in_use "$p"; then echo "$p"; return 0; fi
	fi
	for ((p = BASE_PORT; p <= MAX_PORT; p++)); do
		if ! port_in_use "$p"; then echo "$p"; return 0; fi
	done
	die "no free TCP port in $BASE_PORT..$MAX_PORT"
}

init_cluster() {
	local locale=C.UTF-8
	if command -v locale >/dev/null 2>&1 && ! locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$'; then
		locale=C
	fi
	log "initialising private cluster in $PGDATA_DIR (locale $locale)"
	if ! as_pg "$PGBIN/initdb" -D "$PGDATA_DIR" -U postgres --auth=trust -E UTF8 --locale="$locale" >&2; then
		[[ "$locale" == C ]] && die "initdb failed"
		log "initdb with --locale=$locale failed; retrying with --locale=C"
		rm -rf "$PGDATA_DIR"
		as_pg "$PGBIN/initdb" -D "$PGDATA_DIR" -U postgres --auth=trust -E UTF8 --locale=C >&2 ||
			die "initdb failed"
	fi
}

start_cluster() {
	local port
	port=$(pick_port)
	echo "$port" >"$PORTFILE"
	((IS_ROOT)) && chown postgres: "$PORTFILE"
	log "starting private cluster on 127.0.0.1:$port (log: $LOGFILE)"
	if ! as_pg "$PGBIN/pg_ctl" start -D "$PGDATA_DIR" -l "$LOGFILE" -w -t 60 \
		-o "-p $port -c listen_addresses=127.0.0.1 -k $SOCKDIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" >&2; then
		tail -n 20 "$LOGFILE" >&2 2>/dev/null || true
		die "pg_ctl start failed (see $LOGFILE)"
	fi
}

# Serialise concurrent callers (e.g. parallel "go test" packages) while the
# private cluster is initialised/started.
lock_private() {
	mkdir -p "$DATA_PARENT"
	if command -v flock >/dev/null 2>&1; then
		exec 9>"$DATA_PARENT/pg.lock"
		flock -w 120 9 || die "timed out waiting for $DATA_PARENT/pg.lock"
	fi
}

# ---------------------------------------------------------------- commands --

cmd_url() {
	local db=${1:-puente}
	[[ "$db" =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,62}$ ]] ||
		die "invalid database name '$db' (letters, digits, _ . - only; max 63 chars)"
	find_psql

	# 1. DATABASE_URL
	if [[ -n "${DATABASE_URL:-}" ]]; then
		if database_url_answers; then
			printf '%s\n' "$DATABASE_URL"
			return 0
		fi
		log "DATABASE_URL is set but does not answer; trying other servers"
	fi

	# 2. local server on 5432, trust auth
	if [[ "${PUENTE_DEVDB_SKIP_LOCAL:-}" != 1 ]] && local_answers; then
		ensure_db 127.0.0.1 5432 "$db"
		url_for 127.0.0.1 5432 "$db"
		return 0
	fi

	# 3. private cluster
	lock_private
	resolve_pgdir create
	find_server_bins
	local port
	if cluster_running; then
		port=$(running_port)
	else
		[[ -f "$PGDATA_DIR/PG_VERSION" ]] || init_cluster
		start_cluster
		port=$(running_port)
	fi
	[[ "$port" =~ ^[0-9]+$ ]] || die "cannot determine the port of the private cluster in $PGDATA_DIR"
	ensure_db 127.0.0.1 "$port" "$db"
	url_for 127.0.0.1 "$port" "$db"
}

cmd_stop() {
	resolve_pgdir
	if [[ ! -f "$PGDATA_DIR/PG_VERSION" ]]; then
		log "no private cluster in $PGDIR; nothing to stop"
		return 0
	fi
	find_server_bins
	if cluster_running; then
		log "stopping private cluster in $PGDATA_DIR"
		as_pg "$PGBIN/pg_ctl" stop -D "$PGDATA_DIR" -m fast -w >&2 || die "pg_ctl stop failed"
	else
		log "private cluster in $PGDATA_DIR is not running"
	fi
}

cmd_status() {
	find_psql
	if [[ -n "${DATABASE_URL:-}" ]]; then
		local shown
		shown=$(printf '%s' "$DATABASE_URL" | sed -E 's#(://[^:/@]*):[^@]*@#\1:***@#')
		if database_url_answers; then
			echo "using DATABASE_URL: $shown"
			return 0
		fi
		echo "DATABASE_URL is set but does not answer: $shown"
	fi
	if [[ "${PUENTE_DEVDB_SKIP_LOCAL:-}" == 1 ]]; then
		echo "local server 127.0.0.1:5432: skipped (PUENTE_DEVDB_SKIP_LOCAL=1)"
	elif local_answers; then
		echo "using local server: postgres@127.0.0.1:5432 (no password)"
		return 0
	else
		echo "local server 127.0.0.1:5432: does not answer without a password"
	fi
	resolve_pgdir
	if [[ ! -f "$PGDATA_DIR/PG_VERSION" ]]; then
		echo "using private cluster: $PGDIR (not initialised yet; '$0 url' creates and starts it)"
		return 0
	fi
	find_server_bins
	if cluster_running; then
		echo "using private cluster: $PGDIR, running on 127.0.0.1:$(running_port) ($("$PGBIN/pg_ctl" --version))"
	else
		echo "using private cluster: $PGDIR (stopped; '$0 url' starts it)"
	fi
}

case "${1:-}" in
url)
	shift
	(($# <= 1)) || usage
	cmd_url "$@"
	;;
stop) (($# == 1)) || usage; cmd_stop ;;
status) (($# == 1)) || usage; cmd_status ;;
-h | --help | help | "") usage ;;
*) log "unknown command: $1"; usage ;;
esac
