#!/usr/bin/env bash
# A Kafka broker as its own process, from the Maven jars of infra/broker/pom.xml (so it runs the Kafka
# version the code is built against): one KRaft node that is broker and controller, for running the
# pipeline locally and for the lab. No Docker, no Kafka download. See infra/README.md.
set -euo pipefail

INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(dirname "$INFRA_DIR")"
STATE_DIR="$INFRA_DIR/.broker"            # git-ignored: classpath cache, compiled helper, default data dir
BROKER_POM="$INFRA_DIR/broker/pom.xml"
PARENT_POM="$REPO_DIR/pom.xml"
CLASSPATH_FILE="$STATE_DIR/classpath.txt"
TOOL_SRC="$INFRA_DIR/broker/BrokerTool.java"
TOOL_DIR="$STATE_DIR/tool"
LOG4J_CONFIG="$INFRA_DIR/broker/log4j2.xml"
SCRAM_MECHANISM="SCRAM-SHA-512"

PORT=9092
CONTROLLER_PORT=9093
DATA_DIR="$STATE_DIR/data"
SCRAM_USER=""
PASSWORD_ENV=""
TIMEOUT=""

usage() {
  cat <<EOF
Usage: infra/broker.sh COMMAND [OPTIONS]

Runs one local Kafka broker (KRaft, broker and controller in one process) from Maven jars.

Commands:
  start    Format the storage on first use, start the broker in the background, wait until it answers.
           The last line on stdout is the bootstrap address, e.g. 127.0.0.1:9092.
  stop     Stop the broker (SIGTERM, then SIGKILL after the timeout). No broker: says so, exits 0.
  status   Whether it runs, its pid and bootstrap address. Exit 0 running, 3 not running.
  smoke    Produce a record and consume it back from other processes, to check a running broker.
  --help   This text.

Options:
  --port N                  client listener on 127.0.0.1 (start; default 9092)
  --controller-port N       KRaft controller listener on 127.0.0.1 (start; default 9093)
  --dir PATH                data, logs, pid file (all commands; default infra/.broker/data)
  --scram-user NAME         start: listener SASL_PLAINTEXT with $SCRAM_MECHANISM for this user
  --scram-password-env VAR  start: name of the environment variable holding the user's password
  --timeout SECONDS         start: readiness wait (default 60); stop: wait before SIGKILL (default 30)

Environment:
  BROKER_HEAP_OPTS   JVM heap of the broker (default "-Xms256m -Xmx1g")
  BROKER_MVN_ARGS    extra Maven arguments when resolving the classpath, e.g. "-o" for offline

Examples:
  infra/broker.sh start
  BOOTSTRAP=\$(infra/broker.sh start --port 19092 --controller-port 19093 | tail -n 1)
  export KAFKA_PW=\$(openssl rand -hex 16)
  infra/broker.sh start --scram-user edgeweave --scram-password-env KAFKA_PW
  infra/broker.sh status; infra/broker.sh smoke; infra/broker.sh stop
EOF
}

die() {
  echo "broker.sh: $*" >&2
  exit 1
}

now_ms() {
  date +%s%3N
}

# Options shared by the commands; each command takes only those it has a use for.
parse_options() {
  local command="$1" allowed
  shift
  case "$command" in
    start) allowed=" --port --controller-port --dir --scram-user --scram-password-env --timeout " ;;
    stop) allowed=" --dir --timeout " ;;
    status|smoke) allowed=" --dir " ;;
  esac
  while [[ $# -gt 0 ]]; do
    local option="$1"
    [[ "$option" == -h || "$option" == --help ]] && { usage; exit 0; }
    [[ "$allowed" == *" $option "* ]] || die "unknown option '$option' for $command (see --help)"
    [[ $# -ge 2 ]] || die "$option needs a value"
    case "$option" in
      --port) PORT="$2" ;;
      --controller-port) CONTROLLER_PORT="$2" ;;
      --dir) DATA_DIR="$2" ;;
      --scram-user) SCRAM_USER="$2" ;;
      --scram-password-env) PASSWORD_ENV="$2" ;;
      --timeout) TIMEOUT="$2" ;;
    esac
    shift 2
  done
  DATA_DIR="$(absolute_path "$DATA_DIR")"
  PID_FILE="$DATA_DIR/broker.pid"
  STATE_FILE="$DATA_DIR/broker.state"
  LOG_DIR="$DATA_DIR/logs"
}

absolute_path() {
  case "$1" in
    /*) echo "$1" ;;
    *) echo "$PWD/$1" ;;
  esac
}

is_port() {
  [[ "$1" =~ ^[0-9]+$ ]] && (( $1 >= 1 && $1 <= 65535 ))
}

# Something accepts connections there. Only a pre-flight check: readiness is proven with a Kafka request.
port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# The pid of the running broker of DATA_DIR, or nothing. Checks the command line too, so a pid file left
# by a crash never makes us signal an unrelated process that reused the pid.
running_pid() {
  [[ -f "$PID_FILE" ]] || return 0
  local pid
  pid="$(cat "$PID_FILE")"
  if [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null \
      && ps -p "$pid" -o args= 2>/dev/null | grep -q 'kafka\.Kafka'; then
    echo "$pid"
  fi
}

state_value() {
  [[ -f "$STATE_FILE" ]] || return 0
  sed -n "s/^$1=//p" "$STATE_FILE"
}

# The classpath is resolved once and cached; the broker's pom and the parent pom (which holds the
# versions) being newer than the cache, or a jar missing from ~/.m2, resolves it again.
ensure_classpath() {
  local stale=""
  if [[ ! -s "$CLASSPATH_FILE" || "$BROKER_POM" -nt "$CLASSPATH_FILE" || "$PARENT_POM" -nt "$CLASSPATH_FILE" ]]; then
    stale=yes
  else
    local jar jars
    # A here-string, because the file has no final newline and `read` would fail on it under set -e.
    IFS=: read -r -a jars <<< "$(cat "$CLASSPATH_FILE")"
    for jar in "${jars[@]}"; do
      [[ -f "$jar" ]] || { stale=yes; break; }
    done
  fi
  if [[ -n "$stale" ]]; then
    command -v mvn >/dev/null || die "mvn is not on the PATH; it resolves the broker's jars (infra/broker/pom.xml)"
    mkdir -p "$STATE_DIR"
    echo "Resolving the broker classpath from infra/broker/pom.xml ..."
    local tmp="$CLASSPATH_FILE.tmp.$$"
    # shellcheck disable=SC2086 # BROKER_MVN_ARGS is a list of arguments on purpose
    if ! mvn -q -B ${BROKER_MVN_ARGS:-} -f "$BROKER_POM" dependency:build-classpath \
        -Dmdep.outputFile="$tmp" > "$STATE_DIR/mvn.log" 2>&1; then
      rm -f "$tmp"
      die "resolving the broker classpath failed; see $STATE_DIR/mvn.log"
    fi
    mv "$tmp" "$CLASSPATH_FILE"
  fi
  CLASSPATH="$(cat "$CLASSPATH_FILE")"
}

ensure_tool() {
  if [[ ! -f "$TOOL_DIR/BrokerTool.class" || "$TOOL_SRC" -nt "$TOOL_DIR/BrokerTool.class" \
        || "$CLASSPATH_FILE" -nt "$TOOL_DIR/BrokerTool.class" ]]; then
    command -v javac >/dev/null || die "javac is not on the PATH; a JDK 17+ is needed"
    rm -rf "$TOOL_DIR"
    mkdir -p "$TOOL_DIR"
    javac --release 17 -nowarn -cp "$CLASSPATH" -d "$TOOL_DIR" "$TOOL_SRC" \
      || die "compiling $TOOL_SRC failed"
  fi
}

# The helper's Kafka clients log through log4j2 with no config file: errors only, on the console.
tool() {
  java -cp "$CLASSPATH:$TOOL_DIR" BrokerTool "$@"
}

scram_args() {
  if [[ -n "$SCRAM_USER" ]]; then
    printf '%s\n' --scram-user "$SCRAM_USER" --scram-password-env "$PASSWORD_ENV"
  fi
}

validate_scram() {
  [[ -z "$SCRAM_USER" && -z "$PASSWORD_ENV" ]] && return 0
  [[ -n "$SCRAM_USER" && -n "$PASSWORD_ENV" ]] || die "--scram-user and --scram-password-env go together"
  [[ "$SCRAM_USER" =~ ^[A-Za-z0-9._-]+$ ]] || die "--scram-user may hold only letters, digits, '.', '_' and '-'"
  [[ "$PASSWORD_ENV" =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || die "--scram-password-env takes a variable name, not a password"
  local password="${!PASSWORD_ENV:-}"
  [[ -n "$password" ]] || die "environment variable $PASSWORD_ENV is empty or not exported (--scram-password-env takes the variable's name)"
  # The password goes into Kafka's --add-scram list (comma-separated) and into a quoted JAAS option.
  [[ "$password" != *[,\"\\]* ]] || die "the password in $PASSWORD_ENV must not contain ',', '\"' or '\\'"
}

write_server_properties() {
  local listener="PLAINTEXT"
  [[ -n "$SCRAM_USER" ]] && listener="SASL_PLAINTEXT"
  {
    echo "# Written by infra/broker.sh on every start; edit the script, not this file."
    echo "process.roles=broker,controller"
    echo "node.id=1"
    echo "controller.quorum.bootstrap.servers=127.0.0.1:$CONTROLLER_PORT"
    echo "listeners=$listener://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT"
    echo "advertised.listeners=$listener://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT"
    echo "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT"
    echo "controller.listener.names=CONTROLLER"
    echo "inter.broker.listener.name=$listener"
    echo "log.dirs=$DATA_DIR/kraft"
    echo "# One node: internal topics cannot have 3 replicas. Same settings as the in-JVM test broker."
    echo "offsets.topic.replication.factor=1"
    echo "transaction.state.log.replication.factor=1"
    echo "transaction.state.log.min.isr=1"
    echo "share.coordinator.state.topic.replication.factor=1"
    echo "share.coordinator.state.topic.min.isr=1"
    echo "min.insync.replicas=1"
    echo "group.initial.rebalance.delay.ms=0"
    echo "# Kept on (Kafka's default) so a producer to a missing topic gets one instead of blocking;"
    echo "# the pipeline still creates its topics explicitly, with their partition counts."
    echo "auto.create.topics.enable=true"
    if [[ -n "$SCRAM_USER" ]]; then
      echo "sasl.enabled.mechanisms=$SCRAM_MECHANISM"
      echo "sasl.mechanism.inter.broker.protocol=$SCRAM_MECHANISM"
      echo "# The broker reads the password from its environment when it starts: it is in no file."
      echo "config.providers=env"
      echo "config.providers.env.class=org.apache.kafka.common.config.provider.EnvVarConfigProvider"
      echo "config.providers.env.param.allowlist.pattern=^$PASSWORD_ENV\$"
      echo "listener.name.sasl_plaintext.$(tr '[:upper:]' '[:lower:]' <<< "$SCRAM_MECHANISM").sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\"$SCRAM_USER\" password=\"\${env:$PASSWORD_ENV}\";"
    fi
  } > "$DATA_DIR/server.properties"
}

# SIGTERM, then wait for the exit: a controlled shutdown flushes the logs and takes a few seconds.
# Polling is the only way to wait for a process this shell did not start. SIGKILL after the timeout.
terminate() {
  local pid="$1" timeout_s="$2" deadline
  deadline=$(( $(now_ms) + timeout_s * 1000 ))
  kill -TERM "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null && (( $(now_ms) < deadline )); do
    sleep 0.2
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "broker.sh: warning: the broker (pid $pid) did not stop within ${timeout_s}s of SIGTERM; sending SIGKILL" >&2
    kill -KILL "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  fi
}

# What most likely explains a failed start, from the lines this start wrote (the logs are appended to):
# the broker's warnings and errors, else its last lines, and the JVM's own output (a bad JVM option or a
# crash before logging starts shows only there). The controller's warning that it activates is routine.
show_failure_logs() {
  local server_from="$1" stdout_from="$2" lines
  lines="$(tail -c +"$(( server_from + 1 ))" "$LOG_DIR/server.log" 2>/dev/null || true)"
  if [[ -n "$lines" ]]; then
    echo "broker.sh: from $LOG_DIR/server.log:" >&2
    { grep -E '^\[[^]]*\] (WARN|ERROR|FATAL) ' <<< "$lines" | grep -v 'Performing controller activation' \
        || tail -n 10 <<< "$lines"; } | tail -n 10 >&2
  fi
  lines="$(tail -c +"$(( stdout_from + 1 ))" "$LOG_DIR/stdout.log" 2>/dev/null || true)"
  if [[ -n "$lines" ]]; then
    echo "broker.sh: from $LOG_DIR/stdout.log:" >&2
    tail -n 10 <<< "$lines" >&2
  fi
}

file_size() {
  if [[ -f "$1" ]]; then wc -c < "$1" | tr -d ' '; else echo 0; fi
}

cmd_start() {
  parse_options start "$@"
  is_port "$PORT" || die "--port must be a port number, was '$PORT'"
  is_port "$CONTROLLER_PORT" || die "--controller-port must be a port number, was '$CONTROLLER_PORT'"
  [[ "$PORT" != "$CONTROLLER_PORT" ]] || die "--port and --controller-port must differ"
  TIMEOUT="${TIMEOUT:-60}"
  [[ "$TIMEOUT" =~ ^[0-9]+$ && "$TIMEOUT" -gt 0 ]] || die "--timeout must be a number of seconds, was '$TIMEOUT'"
  validate_scram
  command -v java >/dev/null || die "java is not on the PATH; a JDK 17+ is needed"

  local bootstrap="127.0.0.1:$PORT"
  local pid
  pid="$(running_pid)"
  if [[ -n "$pid" ]]; then
    local running_bootstrap
    running_bootstrap="$(state_value BOOTSTRAP)"
    [[ "$running_bootstrap" == "$bootstrap" ]] \
      || die "a broker already runs from $DATA_DIR (pid $pid) at $running_bootstrap; stop it first"
    echo "Kafka broker already running (pid $pid)"
    echo "$bootstrap"
    return 0
  fi
  rm -f "$PID_FILE"
  local port
  for port in "$PORT" "$CONTROLLER_PORT"; do
    ! port_in_use "$port" || die "port $port on 127.0.0.1 is in use by another process (choose --port/--controller-port)"
  done

  # SCRAM credentials are created only when the storage is formatted.
  if [[ -n "$SCRAM_USER" && -f "$DATA_DIR/kraft/meta.properties" \
        && "$(sed -n 's/^SCRAM_USER=//p' "$DATA_DIR/format.info" 2>/dev/null)" != "$SCRAM_USER" ]]; then
    die "$DATA_DIR was formatted without SCRAM user '$SCRAM_USER'; remove that directory to format it again"
  fi

  ensure_classpath
  ensure_tool
  mkdir -p "$LOG_DIR"
  chmod 700 "$DATA_DIR"   # holds the SCRAM credentials' hashes and the log segments
  write_server_properties

  local format_note=""
  if [[ ! -f "$DATA_DIR/kraft/meta.properties" ]]; then
    local t_format
    t_format="$(now_ms)"
    local scram
    mapfile -t scram < <(scram_args)
    tool format "$DATA_DIR/server.properties" "${scram[@]}" > "$LOG_DIR/format.log" 2>&1 \
      || die "formatting the storage failed; see $LOG_DIR/format.log"
    echo "SCRAM_USER=$SCRAM_USER" > "$DATA_DIR/format.info"
    format_note=", after formatting in $(( $(now_ms) - t_format )) ms"
  fi

  local t_start launcher=() server_log_from stdout_log_from
  server_log_from="$(file_size "$LOG_DIR/server.log")"
  stdout_log_from="$(file_size "$LOG_DIR/stdout.log")"
  t_start="$(now_ms)"
  # Its own session: Ctrl-C in this terminal or closing it must not take the broker down. nohup (SIGHUP
  # only) where setsid is missing, as on macOS.
  if command -v setsid >/dev/null; then launcher=(setsid); else launcher=(nohup); fi
  # shellcheck disable=SC2086 # BROKER_HEAP_OPTS is a list of JVM options on purpose
  (cd "$DATA_DIR" && exec "${launcher[@]}" java ${BROKER_HEAP_OPTS:--Xms256m -Xmx1g} \
      -Dlog4j2.configurationFile="$LOG4J_CONFIG" -Dkafka.logs.dir="$LOG_DIR" \
      -cp "$CLASSPATH" kafka.Kafka "$DATA_DIR/server.properties" \
      >> "$LOG_DIR/stdout.log" 2>&1 < /dev/null) &
  pid=$!
  echo "$pid" > "$PID_FILE"
  {
    echo "BOOTSTRAP=$bootstrap"
    echo "SECURITY=$([[ -n "$SCRAM_USER" ]] && echo "SASL_PLAINTEXT/$SCRAM_MECHANISM" || echo PLAINTEXT)"
    echo "SCRAM_USER=$SCRAM_USER"
    echo "PASSWORD_ENV=$PASSWORD_ENV"
  } > "$STATE_FILE"

  local scram ready_out
  mapfile -t scram < <(scram_args)
  if ! ready_out="$(tool ready "$bootstrap" --timeout-ms "$((TIMEOUT * 1000))" --pid "$pid" "${scram[@]}" 2>&1)"; then
    echo "broker.sh: the broker did not become ready: ${ready_out##*broker-tool: }" >&2
    show_failure_logs "$server_log_from" "$stdout_log_from"
    if kill -0 "$pid" 2>/dev/null; then
      echo "broker.sh: stopping the half-started broker (pid $pid)" >&2
      terminate "$pid" 30 >&2
    fi
    rm -f "$PID_FILE"
    die "start failed; logs: $LOG_DIR/server.log and $LOG_DIR/stdout.log"
  fi
  echo "Kafka broker ready in $(( $(now_ms) - t_start )) ms$format_note (pid $pid, $(state_value SECURITY), logs $LOG_DIR/server.log)"
  echo "$bootstrap"
}

cmd_stop() {
  parse_options stop "$@"
  TIMEOUT="${TIMEOUT:-30}"
  [[ "$TIMEOUT" =~ ^[0-9]+$ ]] || die "--timeout must be a number of seconds, was '$TIMEOUT'"
  if [[ ! -f "$PID_FILE" ]]; then
    echo "No Kafka broker running from $DATA_DIR"
    return 0
  fi
  local pid
  pid="$(running_pid)"
  if [[ -z "$pid" ]]; then
    echo "No Kafka broker running from $DATA_DIR (removed the stale pid file)"
    rm -f "$PID_FILE"
    return 0
  fi
  local t0
  t0="$(now_ms)"
  terminate "$pid" "$TIMEOUT"
  rm -f "$PID_FILE"
  echo "Kafka broker stopped (pid $pid) in $(( $(now_ms) - t0 )) ms"
}

cmd_status() {
  parse_options status "$@"
  local pid
  pid="$(running_pid)"
  if [[ -z "$pid" ]]; then
    echo "not running (data $DATA_DIR)"
    return 3
  fi
  local user
  user="$(state_value SCRAM_USER)"
  echo "running: pid $pid, bootstrap $(state_value BOOTSTRAP), $(state_value SECURITY)${user:+ user $user}, data $DATA_DIR"
}

cmd_smoke() {
  parse_options smoke "$@"
  local pid
  pid="$(running_pid)"
  [[ -n "$pid" ]] || die "no Kafka broker running from $DATA_DIR; start it first"
  SCRAM_USER="$(state_value SCRAM_USER)"
  PASSWORD_ENV="$(state_value PASSWORD_ENV)"
  validate_scram
  ensure_classpath
  ensure_tool
  local bootstrap topic value scram
  bootstrap="$(state_value BOOTSTRAP)"
  topic="smoke-$(date +%s)-$RANDOM"
  value="hello from $$ at $(date -u +%FT%TZ)"
  mapfile -t scram < <(scram_args)
  # Two JVMs, neither of them the broker: what another program on this machine would see.
  tool produce "$bootstrap" "$topic" "$value" "${scram[@]}" || die "smoke test: producing failed"
  tool consume "$bootstrap" "$topic" "$value" --timeout-ms 30000 "${scram[@]}" || die "smoke test: consuming failed"
  echo "Smoke test passed against $bootstrap (topic $topic, deleted)"
}

main() {
  [[ $# -gt 0 ]] || { usage >&2; exit 2; }
  local command="$1"
  shift
  case "$command" in
    start) cmd_start "$@" ;;
    stop) cmd_stop "$@" ;;
    status) cmd_status "$@" ;;
    smoke) cmd_smoke "$@" ;;
    -h|--help|help) usage ;;
    *) echo "broker.sh: unknown command '$command'" >&2; usage >&2; exit 2 ;;
  esac
}

main "$@"
