#!/usr/bin/env bash
# Kairos local stack without Docker: Kafka 3.9 (KRaft, from Maven Central), PostgreSQL and
# Redis (Debian packages), all on 127.0.0.1 with non-standard ports, state in <repo>/.stack/.
#
# Usage: deploy/local/stack.sh up|down|status|logs|env
#   up      install what is missing, start everything, wait until each component really answers,
#           print the connection settings (idempotent: when already up it only verifies)
#   down    stop exactly the processes this script started (data is kept)
#   status  one line per component; exit 0 only if all three are up
#   logs    tail of each component's log (KAIROS_LOG_LINES, default 40)
#   env     print the connection settings as KEY=value lines
#
# Environment (all optional):
#   KAIROS_STACK_DIR              state directory (default <repo>/.stack)
#   KAIROS_KAFKA_PORT             Kafka PLAINTEXT port      (default 19092)
#   KAIROS_KAFKA_CONTROLLER_PORT  KRaft controller port     (default 19093)
#   KAIROS_PG_PORT                PostgreSQL port           (default 15432)
#   KAIROS_REDIS_PORT             Redis port                (default 16379)
#   KAIROS_KAFKA_HEAP_OPTS        broker heap               (default "-Xms256m -Xmx768m")
#   KAIROS_KAFKA_WAIT             readiness probe: auto|node|java (default auto: node + kafkajs
#                                 when <repo>/node_modules/kafkajs exists, else the Kafka jars)
#   KAIROS_KAFKA_WAIT_SECS        Kafka readiness deadline in seconds (default 90)
#   KAIROS_PG_BIN                 PostgreSQL bin dir (default: highest /usr/lib/postgresql/*/bin)
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd -P)"

STACK_DIR="${KAIROS_STACK_DIR:-$REPO_ROOT/.stack}"
case "$STACK_DIR" in /*) ;; *) STACK_DIR="$PWD/$STACK_DIR" ;; esac

KAFKA_PORT="${KAIROS_KAFKA_PORT:-19092}"
KAFKA_CONTROLLER_PORT="${KAIROS_KAFKA_CONTROLLER_PORT:-19093}"
PG_PORT="${KAIROS_PG_PORT:-15432}"
REDIS_PORT="${KAIROS_REDIS_PORT:-16379}"
for _p in KAFKA_PORT KAFKA_CONTROLLER_PORT PG_PORT REDIS_PORT; do
  if ! [[ "${!_p}" =~ ^[0-9]+$ ]] || ((${!_p} < 1 || ${!_p} > 65535)); then
    echo "stack.sh: invalid port ${_p}=${!_p}" >&2
    exit 2
  fi
done
HOST=127.0.0.1

PG_USER=kairos
PG_PASSWORD=kairos
PG_DB=kairos

# --- Kafka paths ---------------------------------------------------------------------------
KAFKA_POM="$SCRIPT_DIR/kafka/pom.xml"
KAFKA_LOG4J="$SCRIPT_DIR/kafka/log4j.properties"
KAFKA_VERSION="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$KAFKA_POM" | head -n1)"
KAFKA_DIR="$STACK_DIR/kafka"
KAFKA_LIBS="$KAFKA_DIR/libs"
KAFKA_DATA="$KAFKA_DIR/data"
KAFKA_LOGS="$KAFKA_DIR/logs"
KAFKA_PROPS="$KAFKA_DIR/server.properties"
KAFKA_PID_FILE="$KAFKA_DIR/kafka.pid"
KAFKA_CLUSTER_ID_FILE="$KAFKA_DIR/cluster-id"
KAFKA_OUT="$KAFKA_LOGS/kafka.out"
KAFKA_SERVER_LOG="$KAFKA_LOGS/server.log"
KAFKA_HEAP_OPTS="${KAIROS_KAFKA_HEAP_OPTS:--Xms256m -Xmx768m}"
KAFKA_WAIT_SECS="${KAIROS_KAFKA_WAIT_SECS:-90}"

# --- PostgreSQL paths ----------------------------------------------------------------------
PG_DIR="$STACK_DIR/postgres"
PG_DATA="$PG_DIR/data"
PG_LOG="$PG_DIR/postgres.log"
PG_SOCK="$PG_DIR/run"

# --- Redis paths ---------------------------------------------------------------------------
REDIS_DIR="$STACK_DIR/redis"
REDIS_PID_FILE="$REDIS_DIR/redis.pid"
REDIS_LOG="$REDIS_DIR/redis.log"

LOG_LINES="${KAIROS_LOG_LINES:-40}"

# --- helpers -------------------------------------------------------------------------------
say() { printf '[stack] %s\n' "$*"; }
warn() { printf '[stack] WARNING: %s\n' "$*" >&2; }
die() {
  printf '[stack] ERROR: %s\n' "$*" >&2
  exit 1
}
trap 'rc=$?; printf "[stack] ERROR: unexpected failure (exit %s) at line %s: %s\n" "$rc" "$LINENO" "$BASH_COMMAND" >&2' ERR

# show_log <label> <file>...: last $LOG_LINES lines of each existing file, to stderr
show_log() {
  local label="$1" f
  shift
  for f in "$@"; do
    if [[ -s "$f" ]]; then
      printf '[stack] ---- %s: last %s lines of %s ----\n' "$label" "$LOG_LINES" "$f" >&2
      tail -n "$LOG_LINES" "$f" >&2 || true
      printf '[stack] ---- end of %s ----\n' "$f" >&2
    fi
  done
}

# fail <label> <message> <log files...>: print the logs and exit non-zero
fail() {
  local label="$1" msg="$2"
  shift 2
  printf '[stack] ERROR: %s: %s\n' "$label" "$msg" >&2
  show_log "$label" "$@"
  exit 1
}

is_root() { [[ "$(id -u)" -eq 0 ]]; }

pid_alive() { [[ -n "${1:-}" ]] && kill -0 "$1" 2>/dev/null; }

# cmdline_has <pid> <substring>...: true if the process's command line contains every substring
cmdline_has() {
  local pid="$1" cmd s
  shift
  [[ -r "/proc/$pid/cmdline" ]] || return 1
  cmd="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" || return 1
  for s in "$@"; do
    [[ "$cmd" == *"$s"* ]] || return 1
  done
}

read_pid_file() {
  local f="$1" pid
  [[ -f "$f" ]] || return 0
  pid="$(head -n1 "$f" 2>/dev/null | tr -dc '0-9')" || true
  printf '%s' "$pid"
}

stale_why() {
  if pid_alive "$1"; then
    printf 'pid %s belongs to another program, left alone' "$1"
  else
    printf 'process %s is gone' "$1"
  fi
}

port_open() { timeout 2 bash -c "exec 3<>/dev/tcp/$HOST/$1" 2>/dev/null; }

# who_listens <port>: best-effort description of the process on a port
who_listens() {
  if command -v ss >/dev/null 2>&1; then
    ss -Hltnp "sport = :$1" 2>/dev/null | sed 's/^/    /' || true
  fi
}

require_port_free() {
  local label="$1" port="$2"
  if port_open "$port"; then
    printf '[stack] ERROR: %s: port %s:%s is already in use by a process this script did not start:\n' \
      "$label" "$HOST" "$port" >&2
    who_listens "$port" >&2
    echo "[stack] Stop it, or pick another port (see the KAIROS_*_PORT variables)." >&2
    exit 1
  fi
}

# wait_gone <pid> <seconds>: true once the process is gone
wait_gone() {
  local pid="$1" secs="$2" i
  for ((i = 0; i < secs * 10; i++)); do
    pid_alive "$pid" || return 0
    sleep 0.1
  done
  ! pid_alive "$pid"
}

# --- package installation ------------------------------------------------------------------
pg_bin_dir() {
  local v d
  if [[ -n "${KAIROS_PG_BIN:-}" ]]; then
    printf '%s' "$KAIROS_PG_BIN"
    return 0
  fi
  # An existing cluster must keep running with the major version that created it.
  if [[ -s "$PG_DATA/PG_VERSION" ]]; then
    v="$(cat "$PG_DATA/PG_VERSION")"
    if [[ -x "/usr/lib/postgresql/$v/bin/pg_ctl" ]]; then
      printf '%s' "/usr/lib/postgresql/$v/bin"
      return 0
    fi
  fi
  d="$(compgen -G '/usr/lib/postgresql/*/bin' | sort -V | tail -n1 || true)"
  if [[ -n "$d" && -x "$d/initdb" && -x "$d/pg_ctl" ]]; then
    printf '%s' "$d"
  fi
}

ensure_packages() {
  local need=()
  command -v java >/dev/null 2>&1 || need+=(openjdk-17-jre-headless)
  command -v mvn >/dev/null 2>&1 || need+=(maven)
  [[ -n "$(pg_bin_dir)" ]] || need+=(postgresql)
  command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
  command -v redis-cli >/dev/null 2>&1 || need+=(redis-tools)
  ((${#need[@]} == 0)) && return 0

  say "installing missing packages: ${need[*]}"
  local sudo=()
  if ! is_root; then
    command -v sudo >/dev/null 2>&1 || die "missing packages (${need[*]}) and not root; install them with apt-get"
    sudo=(sudo)
  fi
  "${sudo[@]}" apt-get update || die "apt-get update failed"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y "${need[@]}" ||
    die "apt-get install -y ${need[*]} failed"
  # The Debian packages may auto-start a system cluster on 5432 / a redis on 6379; those are
  # left alone: this stack uses its own data directories and ports.
}

# --- Kafka ---------------------------------------------------------------------------------
kafka_tool_java() {
  # JVM for short-lived Kafka tools; their log4j output goes to logs/tools, not server.log
  java -Xmx256m -Djava.awt.headless=true \
    -Dlog4j.configuration="file:$KAFKA_LOG4J" -Dkafka.logs.dir="$KAFKA_LOGS/tools" \
    -cp "$KAFKA_LIBS/*" "$@"
}

kafka_pid() {
  local pid p
  pid="$(read_pid_file "$KAFKA_PID_FILE")"
  if pid_alive "$pid" && cmdline_has "$pid" "kafka.Kafka" "$KAFKA_PROPS"; then
    printf '%s' "$pid"
    return 0
  fi
  # Pid file lost or stale: look for a broker started with exactly our server.properties
  # (nothing else runs kafka.Kafka with that path), and repair the pid file.
  for p in $(grep -lsxF -z -- "$KAFKA_PROPS" /proc/[0-9]*/cmdline 2>/dev/null || true); do
    p="${p#/proc/}"
    p="${p%/cmdline}"
    if [[ "$p" != "$$" ]] && cmdline_has "$p" " kafka.Kafka $KAFKA_PROPS "; then
      printf '%s\n' "$p" >"$KAFKA_PID_FILE" 2>/dev/null || true
      printf '%s' "$p"
      return 0
    fi
  done
}

kafka_pom_hash() { sha256sum "$KAFKA_POM" | cut -d' ' -f1; }

# The jars are complete when the stamp written after a successful maven run matches the pom.
kafka_libs_present() {
  [[ -f "$KAFKA_LIBS/.pom.sha256" && "$(cat "$KAFKA_LIBS/.pom.sha256")" == "$(kafka_pom_hash)" ]] &&
    [[ -f "$KAFKA_LIBS/kafka_2.13-$KAFKA_VERSION.jar" ]] &&
    compgen -G "$KAFKA_LIBS/reload4j-*.jar" >/dev/null &&
    compgen -G "$KAFKA_LIBS/slf4j-reload4j-*.jar" >/dev/null
}

kafka_ensure_libs() {
  [[ -n "$KAFKA_VERSION" ]] || die "cannot read <kafka.version> from $KAFKA_POM"
  if kafka_libs_present; then
    return 0
  fi
  local staging="$KAFKA_DIR/libs.partial" mvn_log="$KAFKA_LOGS/maven.log" t0=$SECONDS
  say "kafka: resolving Kafka $KAFKA_VERSION jars with maven (first run, or the pom changed) ..."
  rm -rf "$staging"
  # Resolve into a staging folder and rename it, so an interrupted download never looks complete.
  if ! mvn -B -q -Dstyle.color=never -f "$KAFKA_POM" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$staging" >"$mvn_log" 2>&1; then
    rm -rf "$staging"
    fail kafka "maven could not resolve the Kafka jars" "$mvn_log"
  fi
  kafka_pom_hash >"$staging/.pom.sha256"
  rm -rf "$KAFKA_LIBS"
  mv "$staging" "$KAFKA_LIBS"
  kafka_libs_present || fail kafka "jars missing after the maven run" "$mvn_log"
  say "kafka: $(compgen -G "$KAFKA_LIBS/*.jar" | wc -l) jars in $KAFKA_LIBS ($((SECONDS - t0))s)"
}

kafka_write_props() {
  local tmp="$KAFKA_PROPS.tmp"
  cat >"$tmp" <<EOF
# Generated by deploy/local/stack.sh on every 'up'; edits here are overwritten.
# Single-node KRaft: one process is both broker and controller, loopback only.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$HOST:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://$HOST:$KAFKA_PORT,CONTROLLER://$HOST:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$HOST:$KAFKA_PORT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
inter.broker.listener.name=PLAINTEXT

log.dirs=$KAFKA_DATA

# One node: internal topics cannot have more than one replica.
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0

num.partitions=3
default.replication.factor=1
min.insync.replicas=1
# Topics are created explicitly (auto-creation under KRaft has quirks with kafkajs).
auto.create.topics.enable=false

num.network.threads=3
num.io.threads=4
log.retention.hours=168
log.segment.bytes=134217728
log.retention.check.interval.ms=300000
EOF
  mv "$tmp" "$KAFKA_PROPS"
}

kafka_format() {
  [[ -f "$KAFKA_DATA/meta.properties" ]] && return 0
  local cid out
  if [[ -s "$KAFKA_CLUSTER_ID_FILE" ]]; then
    cid="$(tr -d '[:space:]' <"$KAFKA_CLUSTER_ID_FILE")"
  else
    cid="$(kafka_tool_java kafka.tools.StorageTool random-uuid 2>>"$KAFKA_LOGS/tools/storage-tool.err" | tail -n1 | tr -d '[:space:]')" || true
    [[ "$cid" =~ ^[A-Za-z0-9_-]{22}$ ]] ||
      fail kafka "StorageTool random-uuid returned '$cid'" "$KAFKA_LOGS/tools/storage-tool.err"
    printf '%s\n' "$cid" >"$KAFKA_CLUSTER_ID_FILE"
  fi
  say "kafka: formatting $KAFKA_DATA (cluster id $cid)"
  if ! out="$(kafka_tool_java kafka.tools.StorageTool format --ignore-formatted \
    -c "$KAFKA_PROPS" -t "$cid" 2>&1)"; then
    printf '%s\n' "$out" >"$KAFKA_LOGS/tools/storage-format.log"
    fail kafka "StorageTool format failed" "$KAFKA_LOGS/tools/storage-format.log"
  fi
}

kafka_start() {
  local pid
  pid="$(kafka_pid)"
  if [[ -n "$pid" ]]; then
    say "kafka: already running (pid $pid)"
    return 0
  fi
  rm -f "$KAFKA_PID_FILE"
  require_port_free kafka "$KAFKA_PORT"
  require_port_free kafka-controller "$KAFKA_CONTROLLER_PORT"

  mkdir -p "$KAFKA_DIR" "$KAFKA_DATA" "$KAFKA_LOGS/tools"
  kafka_ensure_libs
  kafka_write_props
  kafka_format

  say "kafka: starting broker+controller on $HOST:$KAFKA_PORT (controller $HOST:$KAFKA_CONTROLLER_PORT)"
  printf '\n# %s stack.sh: starting kafka.Kafka %s\n' "$(date -Is)" "$KAFKA_PROPS" >>"$KAFKA_OUT"
  # The inner shell writes its own pid and then execs java, so the pid file holds the broker's
  # pid; setsid keeps a Ctrl-C in the calling terminal from reaching the broker. fd 9 (the
  # lock) is closed so the broker does not hold it.
  # shellcheck disable=SC2086,SC2016  # KAFKA_HEAP_OPTS is a list of JVM options; $$ is for bash -c
  nohup setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' _ "$KAFKA_PID_FILE" \
    java $KAFKA_HEAP_OPTS -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent \
    -Djava.awt.headless=true \
    -Dlog4j.configuration="file:$KAFKA_LOG4J" -Dkafka.logs.dir="$KAFKA_LOGS" \
    -cp "$KAFKA_LIBS/*" kafka.Kafka "$KAFKA_PROPS" \
    >>"$KAFKA_OUT" 2>&1 </dev/null 9>&- &
  local i
  for ((i = 0; i < 50; i++)); do
    [[ -s "$KAFKA_PID_FILE" ]] && break
    sleep 0.1
  done
  pid="$(read_pid_file "$KAFKA_PID_FILE")"
  [[ -n "$pid" ]] || fail kafka "broker process did not start" "$KAFKA_OUT"
  say "kafka: started (pid $pid), waiting for it to answer ..."
}

kafka_wait_java() {
  local pid="$1" deadline=$((SECONDS + KAFKA_WAIT_SECS)) out attempt=0
  while ((SECONDS < deadline)); do
    attempt=$((attempt + 1))
    pid_alive "$pid" || return 1
    if port_open "$KAFKA_PORT" &&
      out="$(timeout 30 java -Xmx128m -Dlog4j.configuration="file:$KAFKA_LOG4J" \
        -Dkafka.logs.dir="$KAFKA_LOGS/tools" -cp "$KAFKA_LIBS/*" \
        kafka.admin.BrokerApiVersionsCommand --bootstrap-server "$HOST:$KAFKA_PORT" 2>&1)" &&
      grep -q -- '-> (' <<<"$out"; then
      say "kafka: broker answered ApiVersions after $attempt attempt(s) ($(head -n1 <<<"$out" | cut -c1-60) ...)"
      return 0
    fi
    sleep 1
  done
  return 1
}

kafka_wait() {
  local pid
  pid="$(kafka_pid)"
  [[ -n "$pid" ]] || fail kafka "broker process is not running" "$KAFKA_SERVER_LOG" "$KAFKA_OUT"
  local mode="${KAIROS_KAFKA_WAIT:-auto}"
  if [[ "$mode" == auto ]]; then
    if command -v node >/dev/null 2>&1 && [[ -f "$REPO_ROOT/node_modules/kafkajs/package.json" ]]; then
      mode=node
    else
      mode=java
    fi
  fi
  local ok=0 rc=0
  case "$mode" in
    node)
      KAIROS_KAFKA_WAIT_PID="$pid" KAIROS_KAFKA_WAIT_SECS="$KAFKA_WAIT_SECS" \
        node "$SCRIPT_DIR/wait-kafka.cjs" "$HOST:$KAFKA_PORT" 9>&- || rc=$?
      if ((rc == 0)); then
        ok=1
      elif ((rc == 3)); then
        # kafkajs not loadable (e.g. npm install still running): use the Kafka jars instead
        say "kafka: kafkajs not usable, falling back to BrokerApiVersionsCommand"
        kafka_wait_java "$pid" && ok=1
      fi
      ;;
    java) kafka_wait_java "$pid" && ok=1 ;;
    *) die "KAIROS_KAFKA_WAIT must be auto, node or java (got '$mode')" ;;
  esac
  if ((ok == 0)); then
    if pid_alive "$pid"; then
      fail kafka "broker (pid $pid) did not answer on $HOST:$KAFKA_PORT within ${KAFKA_WAIT_SECS}s" \
        "$KAFKA_SERVER_LOG" "$KAFKA_OUT"
    else
      rm -f "$KAFKA_PID_FILE"
      fail kafka "broker process $pid exited during startup" "$KAFKA_SERVER_LOG" "$KAFKA_OUT"
    fi
  fi
}

kafka_stop() {
  local pid stale
  pid="$(kafka_pid)"
  if [[ -z "$pid" ]]; then
    stale="$(read_pid_file "$KAFKA_PID_FILE")"
    [[ -n "$stale" ]] && say "kafka: removing stale pid file ($(stale_why "$stale"))"
    rm -f "$KAFKA_PID_FILE"
    say "kafka: not running"
    return 0
  fi
  say "kafka: stopping (pid $pid) ..."
  kill -TERM "$pid" 2>/dev/null || true
  if ! wait_gone "$pid" "${KAIROS_KAFKA_STOP_SECS:-60}"; then
    warn "kafka: pid $pid still alive after ${KAIROS_KAFKA_STOP_SECS:-60}s, sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    wait_gone "$pid" 10 || die "kafka: pid $pid does not die"
  fi
  rm -f "$KAFKA_PID_FILE"
  say "kafka: stopped"
}

# --- PostgreSQL ----------------------------------------------------------------------------
# Run a command as the postgres system user when we are root (postgres refuses to run as root);
# as the current user otherwise. cwd / avoids "could not change directory" warnings.
as_pg() {
  if is_root; then
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

pg_pid() {
  local pid
  [[ -f "$PG_DATA/postmaster.pid" ]] || return 0
  pid="$(head -n1 "$PG_DATA/postmaster.pid" 2>/dev/null | tr -dc '0-9')" || true
  if pid_alive "$pid" && cmdline_has "$pid" "$PG_DATA"; then
    printf '%s' "$pid"
  fi
}

# Make sure the postgres user can reach $PG_DIR: every ancestor needs the execute bit.
pg_ensure_traversable() {
  local d="$PG_DIR"
  is_root || return 0
  while [[ "$d" != / ]]; do
    d="$(dirname "$d")"
    if ! runuser -u postgres -- test -x "$d" 2>/dev/null; then
      say "postgres: granting o+x (traverse only) on $d so the postgres user can reach $PG_DIR"
      chmod o+x "$d"
    fi
  done
}

pg_psql() {
  PGPASSWORD="$PG_PASSWORD" PGCONNECT_TIMEOUT=5 "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 \
    -h "$HOST" -p "$PG_PORT" -U "$PG_USER" "$@"
}

pg_init() {
  mkdir -p "$PG_DIR" "$PG_SOCK"
  if is_root; then
    chown postgres:postgres "$PG_DIR" "$PG_SOCK"
    [[ -e "$PG_LOG" ]] && chown postgres:postgres "$PG_LOG"
  fi
  chmod 0750 "$PG_DIR"
  chmod 0700 "$PG_SOCK"
  pg_ensure_traversable
  [[ -s "$PG_DATA/PG_VERSION" ]] && return 0

  if [[ -d "$PG_DATA" ]] && [[ -n "$(ls -A "$PG_DATA" 2>/dev/null)" ]]; then
    die "postgres: $PG_DATA exists but holds no cluster (no PG_VERSION); move it away and retry"
  fi
  local pwfile
  pwfile="$(mktemp "$PG_DIR/.pwfile.XXXXXX")"
  printf '%s\n' "$PG_PASSWORD" >"$pwfile"
  is_root && chown postgres:postgres "$pwfile"
  chmod 0600 "$pwfile"
  say "postgres: initdb $PG_DATA (superuser $PG_USER, scram-sha-256, UTF8)"
  if ! as_pg "$PG_BIN/initdb" -D "$PG_DATA" --username="$PG_USER" --pwfile="$pwfile" \
    --auth=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1; then
    rm -f "$pwfile"
    fail postgres "initdb failed" "$PG_DIR/initdb.log"
  fi
  rm -f "$pwfile"
}

pg_start() {
  PG_BIN="$(pg_bin_dir)"
  [[ -n "$PG_BIN" ]] || die "postgres: no PostgreSQL binaries under /usr/lib/postgresql/*/bin"
  local pid
  pid="$(pg_pid)"
  if [[ -n "$pid" ]]; then
    say "postgres: already running (pid $pid)"
    return 0
  fi
  require_port_free postgres "$PG_PORT"
  pg_init
  say "postgres: starting PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on $HOST:$PG_PORT"
  # -w waits for the server to accept connections; the -o options are not stored in the
  # cluster's config, so the port can change between runs.
  if ! as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t 60 \
    -o "-c listen_addresses=$HOST -p $PG_PORT -k '$PG_SOCK'" start >/dev/null 9>&-; then
    fail postgres "pg_ctl start failed" "$PG_LOG"
  fi
}

pg_wait() {
  PG_BIN="$(pg_bin_dir)"
  local deadline=$((SECONDS + 60))
  while ((SECONDS < deadline)); do
    if "$PG_BIN/pg_isready" -q -h "$HOST" -p "$PG_PORT" &&
      [[ "$(pg_psql -d postgres -tAc 'select 1' 2>/dev/null)" == 1 ]]; then
      break
    fi
    [[ -n "$(pg_pid)" ]] || fail postgres "server exited during startup" "$PG_LOG"
    sleep 0.5
  done
  ((SECONDS < deadline)) || fail postgres "server not answering on $HOST:$PG_PORT" "$PG_LOG"

  if [[ -z "$(pg_psql -d postgres -tAc "select 1 from pg_database where datname = '$PG_DB'")" ]]; then
    say "postgres: creating database $PG_DB owned by $PG_USER"
    pg_psql -d postgres -c "create database \"$PG_DB\" owner \"$PG_USER\" encoding 'UTF8'" ||
      fail postgres "create database $PG_DB failed" "$PG_LOG"
  fi
  [[ "$(pg_psql -d "$PG_DB" -tAc 'select 1' 2>&1)" == 1 ]] ||
    fail postgres "cannot query database $PG_DB as $PG_USER" "$PG_LOG"
  say "postgres: ready (pid $(pg_pid))"
}

pg_stop() {
  local pid
  pid="$(pg_pid)"
  if [[ -z "$pid" ]]; then
    [[ -f "$PG_DATA/postmaster.pid" ]] && say "postgres: postmaster.pid is stale (postgres removes it on next start)"
    say "postgres: not running"
    return 0
  fi
  PG_BIN="$(pg_bin_dir)"
  say "postgres: stopping (pid $pid) ..."
  if [[ -n "$PG_BIN" ]]; then
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 stop >/dev/null ||
      warn "postgres: pg_ctl stop reported a failure"
  else
    kill -INT "$pid" 2>/dev/null || true # SIGINT = fast shutdown
  fi
  wait_gone "$pid" 60 || die "postgres: pid $pid still alive after 60s (see $PG_LOG)"
  say "postgres: stopped"
}

# --- Redis ---------------------------------------------------------------------------------
redis_pid() {
  local pid
  pid="$(read_pid_file "$REDIS_PID_FILE")"
  if pid_alive "$pid" && cmdline_has "$pid" "redis-server"; then
    printf '%s' "$pid"
  fi
}

redis_ping() { [[ "$(timeout 5 redis-cli -h "$HOST" -p "$REDIS_PORT" ping 2>/dev/null)" == PONG ]]; }

redis_start() {
  local pid
  pid="$(redis_pid)"
  if [[ -n "$pid" ]]; then
    say "redis: already running (pid $pid)"
    return 0
  fi
  rm -f "$REDIS_PID_FILE"
  require_port_free redis "$REDIS_PORT"
  mkdir -p "$REDIS_DIR"
  say "redis: starting $(redis-server --version | awk '{print $3}' | sed 's/^v=//') on $HOST:$REDIS_PORT"
  # No config file: the Debian /etc/redis/redis.conf belongs to the system service.
  if ! redis-server --bind "$HOST" --port "$REDIS_PORT" --daemonize yes \
    --pidfile "$REDIS_PID_FILE" --logfile "$REDIS_LOG" --dir "$REDIS_DIR" \
    --appendonly yes --protected-mode yes 9>&-; then
    fail redis "redis-server failed to start" "$REDIS_LOG"
  fi
}

redis_wait() {
  local deadline=$((SECONDS + 30))
  while ((SECONDS < deadline)); do
    if [[ -n "$(redis_pid)" ]] && redis_ping; then
      say "redis: ready (pid $(redis_pid))"
      return 0
    fi
    sleep 0.2
  done
  fail redis "no PONG from $HOST:$REDIS_PORT within 30s" "$REDIS_LOG"
}

redis_stop() {
  local pid stale
  pid="$(redis_pid)"
  if [[ -z "$pid" ]]; then
    stale="$(read_pid_file "$REDIS_PID_FILE")"
    [[ -n "$stale" ]] && say "redis: removing stale pid file ($(stale_why "$stale"))"
    rm -f "$REDIS_PID_FILE"
    say "redis: not running"
    return 0
  fi
  say "redis: stopping (pid $pid) ..."
  kill -TERM "$pid" 2>/dev/null || true # SIGTERM = graceful shutdown (AOF fsync)
  if ! wait_gone "$pid" 30; then
    warn "redis: pid $pid still alive after 30s, sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    wait_gone "$pid" 10 || die "redis: pid $pid does not die"
  fi
  rm -f "$REDIS_PID_FILE"
  say "redis: stopped"
}

# --- commands ------------------------------------------------------------------------------
print_env() {
  cat <<EOF
KAIROS_KAFKA_BROKERS=$HOST:$KAFKA_PORT
KAIROS_PG_URL=postgres://$PG_USER:$PG_PASSWORD@$HOST:$PG_PORT/$PG_DB
KAIROS_REDIS_URL=redis://$HOST:$REDIS_PORT
EOF
}

# status_line <name> <pid> <port> [detail]
status_line() {
  local name="$1" pid="$2" port="$3" detail="${4:-}"
  if [[ -z "$pid" ]]; then
    printf '%-9s stopped   %s:%-5s %s\n' "$name" "$HOST" "$port" "$detail"
    return 1
  elif ! port_open "$port"; then
    printf '%-9s starting  %s:%-5s pid %-8s (not listening yet) %s\n' "$name" "$HOST" "$port" "$pid" "$detail"
    return 1
  fi
  printf '%-9s running   %s:%-5s pid %-8s %s\n' "$name" "$HOST" "$port" "$pid" "$detail"
}

cmd_status() {
  local rc=0
  status_line kafka "$(kafka_pid)" "$KAFKA_PORT" "(controller $HOST:$KAFKA_CONTROLLER_PORT)" || rc=1
  status_line postgres "$(pg_pid)" "$PG_PORT" "(db $PG_DB, user $PG_USER)" || rc=1
  status_line redis "$(redis_pid)" "$REDIS_PORT" || rc=1
  return "$rc"
}

take_lock() {
  mkdir -p "$STACK_DIR"
  exec 9>"$STACK_DIR/stack.lock"
  flock -w 300 9 || die "another stack.sh is running (lock $STACK_DIR/stack.lock)"
}

cmd_up() {
  local t0=$SECONDS
  take_lock
  say "state in $STACK_DIR"
  ensure_packages
  # Check every port before starting anything, so a conflict leaves nothing half-started.
  if [[ -z "$(kafka_pid)" ]]; then
    require_port_free kafka "$KAFKA_PORT"
    require_port_free kafka-controller "$KAFKA_CONTROLLER_PORT"
  fi
  [[ -n "$(pg_pid)" ]] || require_port_free postgres "$PG_PORT"
  [[ -n "$(redis_pid)" ]] || require_port_free redis "$REDIS_PORT"
  # Start Kafka first (slowest to boot) and bring PostgreSQL and Redis up while it starts.
  kafka_start
  pg_start
  redis_start
  pg_wait
  redis_wait
  kafka_wait
  say "all up in $((SECONDS - t0))s"
  cmd_status || true
  echo
  echo "# connection settings"
  print_env
}

cmd_down() {
  take_lock
  kafka_stop
  redis_stop
  pg_stop
}

cmd_logs() {
  local f
  for f in "$KAFKA_SERVER_LOG" "$KAFKA_OUT" "$PG_LOG" "$REDIS_LOG"; do
    if [[ -s "$f" ]]; then
      printf '==== %s (last %s lines) ====\n' "$f" "$LOG_LINES"
      tail -n "$LOG_LINES" "$f"
      echo
    else
      printf '==== %s (empty or missing) ====\n\n' "$f"
    fi
  done
}

usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) if cmd_status; then exit 0; else exit 1; fi ;;
  logs) cmd_logs ;;
  env) print_env ;;
  -h | --help | help) usage ;;
  *)
    usage >&2
    exit 2
    ;;
esac
