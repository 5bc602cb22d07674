#!/usr/bin/env bash
# fetch.sh VERSION — resolve Apache Kafka broker jars from Maven Central.
#
# Downloads org.apache.kafka:kafka_2.13:VERSION with all of its runtime
# dependencies, plus a logging backend so the broker can log to a file,
# into a cache directory, and prints that directory. Only Maven (and thus
# Maven Central, or whatever mirror ~/.m2/settings.xml names) is used.
#
# Cache: ${LURE_KAFKA_LIBS:-${LURE_CACHE:-$HOME/.cache/lure}/kafka/VERSION/libs}
# A completed cache holds a .complete marker; later calls return at once.
set -euo pipefail

die() { echo "kafka/fetch: $*" >&2; exit 1; }

[ $# -eq 1 ] || die "usage: fetch.sh VERSION (e.g. 3.9.1 or 4.1.1)"
version=$1
[[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "bad version \"$version\" (want X.Y.Z)"
major=${version%%.*}
minor=${version#*.}; minor=${minor%%.*}
if [ "$major" -lt 3 ] || { [ "$major" -eq 3 ] && [ "$minor" -lt 7 ]; }; then
	die "version $version unsupported: need Kafka 3.7 or newer (KRaft single node)"
fi

libs=${LURE_KAFKA_LIBS:-${LURE_CACHE:-$HOME/.cache/lure}/kafka/$version/libs}
if [ -f "$libs/.complete" ]; then
	echo "$libs"
	exit 0
fi

command -v mvn >/dev/null 2>&1 || die "mvn not found in PATH (install Maven 3.8+)"

# Kafka 3.x ships reload4j (log4j 1.x API); Kafka 4.x ships log4j2.
# The kafka_2.13 pom declares only slf4j-api, so add the matching binding.
if [ "$major" -ge 4 ]; then
	logging_deps='
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j-impl</artifactId><version>2.24.3</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-core</artifactId><version>2.24.3</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-api</artifactId><version>2.24.3</version></dependency>'
else
	logging_deps='
    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-reload4j</artifactId><version>1.7.36</version></dependency>
    <dependency><groupId>ch.qos.reload4j</groupId><artifactId>reload4j</artifactId><version>1.2.25</version></dependency>'
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/lure-kafka-fetch.XXXXXX")
trap 'rm -rf "$work"' EXIT

cat >"$work/pom.xml" <<POM
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>lure.local</groupId>
  <artifactId>kafka-broker-libs</artifactId>
  <version>0</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>$version</version></dependency>$logging_deps
  </dependencies>
</project>
POM

echo "kafka/fetch: resolving kafka_2.13:$version from Maven Central into $libs" >&2
mkdir -p "$(dirname "$libs")"
staging="$libs.partial.$$"
rm -rf "$staging"
if ! mvn -q -B -f "$work/pom.xml" \
	org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy-dependencies \
	-DincludeScope=runtime -DoutputDirectory="$staging" >"$work/mvn.log" 2>&1; then
	rm -rf "$staging"
	rmdir "$(dirname "$libs")" 2>/dev/null || true
	sed "s/\x1b\[[0-9;]*m//g" "$work/mvn.log" | grep -m 2 "ERROR" >&2 || true
	die "maven could not resolve org.apache.kafka:kafka_2.13:$version (does Maven Central serve it?)"
fi
ls "$staging"/kafka_2.13-"$version".jar >/dev/null 2>&1 || { rm -rf "$staging"; die "kafka_2.13-$version.jar missing after resolution"; }
touch "$staging/.complete"
# Another fetch of the same version may have finished meanwhile; keep its copy.
if [ -f "$libs/.complete" ]; then
	rm -rf "$staging"
else
	rm -rf "$libs"
	mv -T "$staging" "$libs"
fi
echo "$libs"
