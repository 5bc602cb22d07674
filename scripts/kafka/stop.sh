#!/usr/bin/env bash
# stop.sh [DIR] — stop a broker started by start.sh. Idempotent.
#
# Sends SIGTERM (controlled shutdown), waits up to LURE_KAFKA_STOP_TIMEOUT
# seconds (default 30), then SIGKILL. DIR defaults to the newest
# ${TMPDIR:-/tmp}/lure-kafka-* directory holding a kafka.pid. Data in DIR is
# kept, so start.sh can restart on it.
set -euo pipefail

die() { echo "kafka/stop: $*" >&2; exit 1; }

[ $# -le 1 ] || die "usage: stop.sh [DIR]"
if [ $# -eq 1 ]; then
	dir=$1
else
	dir=$(ls -td "${TMPDIR:-/tmp}"/lure-kafka-*/kafka.pid 2>/dev/null | head -n 1 || true)
	[ -n "$dir" ] || { echo "kafka/stop: no running broker found" >&2; exit 0; }
	dir=$(dirname "$dir")
fi
stop_timeout=${LURE_KAFKA_STOP_TIMEOUT:-30}
pidfile=$dir/kafka.pid

[ -f "$pidfile" ] || { echo "kafka/stop: no broker running from $dir" >&2; exit 0; }
pid=$(cat "$pidfile")
[[ $pid =~ ^[0-9]+$ ]] || { rm -f "$pidfile"; die "garbage in $pidfile removed"; }

# Only signal the PID if it is still our broker (PIDs get reused).
if ! kill -0 "$pid" 2>/dev/null || ! tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'kafka\.Kafka'; then
	rm -f "$pidfile"
	echo "kafka/stop: broker from $dir was not running" >&2
	exit 0
fi

kill -TERM "$pid" 2>/dev/null || true
waited=0
while kill -0 "$pid" 2>/dev/null; do
	if [ "$waited" -ge $((stop_timeout * 10)) ]; then
		echo "kafka/stop: pid $pid ignored SIGTERM for ${stop_timeout}s, sending SIGKILL" >&2
		kill -KILL "$pid" 2>/dev/null || true
		break
	fi
	sleep 0.1
	waited=$((waited + 1))
done
rm -f "$pidfile"
echo "kafka/stop: stopped broker (pid $pid) from $dir" >&2
