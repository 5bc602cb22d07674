#!/usr/bin/env bash
# start.sh VERSION [PORT] [DIR] — run a single-node Apache Kafka broker (KRaft).
#
# Fetches the broker jars if needed (fetch.sh), writes DIR/server.properties
# (broker+controller, node.id 1, 127.0.0.1 only), formats DIR/data with a
# random cluster id unless it already holds meta.properties (so a restart on
# the same DIR keeps topics, records and committed offsets), starts the JVM in
# the background with its PID in DIR/kafka.pid, and waits until the broker
# answers an ApiVersions request. Prints the bootstrap address on stdout.
#
# Defaults: PORT 19092, DIR ${TMPDIR:-/tmp}/lure-kafka-VERSION.
# Environment: JAVA_HOME (else /usr/lib/jvm/java-17-openjdk-amd64, else java
# on PATH), LURE_KAFKA_CONTROLLER_PORT (default PORT+1), LURE_KAFKA_HEAP
# (default 512m), LURE_KAFKA_START_TIMEOUT seconds (default 60), plus the
# cache variables of fetch.sh. Logs go to DIR/logs/server.log.
set -euo pipefail

die() { echo "kafka/start: $*" >&2; exit 1; }

[ $# -ge 1 ] && [ $# -le 3 ] || die "usage: start.sh VERSION [PORT] [DIR]"
version=$1
port=${2:-19092}
dir=${3:-${TMPDIR:-/tmp}/lure-kafka-$version}
cport=${LURE_KAFKA_CONTROLLER_PORT:-$((port + 1))}
heap=${LURE_KAFKA_HEAP:-512m}
start_timeout=${LURE_KAFKA_START_TIMEOUT:-60}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

[[ $port =~ ^[0-9]+$ ]] && [ "$port" -ge 1 ] && [ "$port" -le 65535 ] || die "bad port \"$port\""
[[ $cport =~ ^[0-9]+$ ]] && [ "$cport" -ge 1 ] && [ "$cport" -le 65535 ] || die "bad controller port \"$cport\""

# find_java prints a Java 17+ binary or fails with a clear message.
find_java() {
	local java=""
	if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
		java=$JAVA_HOME/bin/java
	elif [ -x /usr/lib/jvm/java-17-openjdk-amd64/bin/java ]; then
		java=/usr/lib/jvm/java-17-openjdk-amd64/bin/java
	elif command -v java >/dev/null 2>&1; then
		java=$(command -v java)
	else
		die "Java 17 or newer is required but no java was found (set JAVA_HOME; on Debian: apt-get install openjdk-17-jre-headless)"
	fi
	local v
	v=$("$java" -version 2>&1 | sed -n 's/.* version "\([0-9]*\).*/\1/p' | head -n 1)
	[ -n "$v" ] && [ "$v" -ge 17 ] || die "$java is Java ${v:-unknown}; Java 17 or newer is required (set JAVA_HOME)"
	echo "$java"
}

# probe succeeds when a Kafka broker on 127.0.0.1:$1 answers ApiVersions v0.
probe() {
	(
		exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
		# size=10, api_key=18 (ApiVersions), api_version=0, correlation_id=1, client_id=null
		printf '\x00\x00\x00\x0a\x00\x12\x00\x00\x00\x00\x00\x01\xff\xff' >&3
		resp=$(timeout 2 head -c 8 <&3 | od -An -tx1 | tr -d ' \n')
		[ "${resp:8:8}" = "00000001" ]
	) 2>/dev/null
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

running_pid() {
	local pid
	[ -f "$dir/kafka.pid" ] || return 1
	pid=$(cat "$dir/kafka.pid")
	[[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
	echo "$pid"
}

java=$(find_java)
mkdir -p "$dir/logs" "$dir/data"
dir=$(cd "$dir" && pwd)

if pid=$(running_pid); then
	probe "$port" || die "a broker (pid $pid) is already running from $dir but does not answer on 127.0.0.1:$port; run stop.sh $dir"
	echo "kafka/start: broker already running (pid $pid)" >&2
	echo "127.0.0.1:$port"
	exit 0
fi
rm -f "$dir/kafka.pid"
port_open "$port" && die "127.0.0.1:$port is already in use by another process"
port_open "$cport" && die "controller port 127.0.0.1:$cport is already in use by another process"

libs=$("$here/fetch.sh" "$version")
major=${version%%.*}

cat >"$dir/server.properties" <<PROPS
# Written by scripts/kafka/start.sh: single-node KRaft broker for lure tests.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$cport
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
advertised.listeners=PLAINTEXT://127.0.0.1:$port
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
log.dirs=$dir/data
num.partitions=4
default.replication.factor=1
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=4
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
log.retention.hours=168
log.segment.bytes=16777216
PROPS

if [ "$major" -ge 4 ]; then
	logopt="-Dlog4j2.configurationFile=$dir/log4j2.properties"
	cat >"$dir/log4j2.properties" <<LOG
status = error
appender.file.type = File
appender.file.name = FILE
appender.file.fileName = $dir/logs/server.log
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = FILE
logger.state.name = state.change.logger
logger.state.level = WARN
LOG
else
	logopt="-Dlog4j.configuration=file:$dir/log4j.properties"
	cat >"$dir/log4j.properties" <<LOG
log4j.rootLogger=INFO, file
log4j.appender.file=org.apache.log4j.FileAppender
log4j.appender.file.File=$dir/logs/server.log
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.state.change.logger=WARN
LOG
fi

jvm=("$java" "-Xmx$heap" "-Xms128m" -XX:+UseG1GC -Djava.awt.headless=true
	"-Dkafka.logs.dir=$dir/logs" "$logopt" -cp "$libs/*")

if [ ! -f "$dir/data/meta.properties" ]; then
	# A URL-safe base64 id; one that starts with '-' would be read as an option.
	cluster_id=-
	while [[ $cluster_id == -* ]]; do
		cluster_id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')
	done
	if ! "${jvm[@]}" kafka.tools.StorageTool format -t "$cluster_id" -c "$dir/server.properties" \
		>"$dir/logs/format.log" 2>&1; then
		tail -n 20 "$dir/logs/format.log" >&2
		die "formatting $dir/data failed (see $dir/logs/format.log)"
	fi
fi

started=$(date +%s)
# setsid detaches the broker from this script's process group; the inner
# shell records its own PID, which exec hands to the JVM.
setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' _ "$dir/kafka.pid" \
	"${jvm[@]}" kafka.Kafka "$dir/server.properties" \
	</dev/null >"$dir/logs/stdout.log" 2>&1 &

for _ in $(seq 1 50); do [ -s "$dir/kafka.pid" ] && break; sleep 0.1; done
pid=$(cat "$dir/kafka.pid" 2>/dev/null || true)
[ -n "$pid" ] || die "broker did not start (no pid written)"

fail() {
	echo "--- $dir/logs/stdout.log" >&2
	tail -n 20 "$dir/logs/stdout.log" >&2 || true
	echo "--- $dir/logs/server.log" >&2
	tail -n 40 "$dir/logs/server.log" >&2 || true
	die "$*"
}

until probe "$port"; do
	kill -0 "$pid" 2>/dev/null || { rm -f "$dir/kafka.pid"; fail "broker (pid $pid) exited during start-up"; }
	if [ $(($(date +%s) - started)) -ge "$start_timeout" ]; then
		kill -9 "$pid" 2>/dev/null || true
		rm -f "$dir/kafka.pid"
		fail "broker did not answer on 127.0.0.1:$port within ${start_timeout}s"
	fi
	sleep 0.2
done
echo "kafka/start: Kafka $version up in $(($(date +%s) - started))s (pid $pid, dir $dir)" >&2
echo "127.0.0.1:$port"
