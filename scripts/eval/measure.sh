#!/usr/bin/env bash
# Measures the classifier on lure's corpus and on the third-party data sets
# and writes one Markdown report per input to OUT (default /tmp/lure-eval).
# Usage: scripts/eval/measure.sh [OUT]
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-/tmp/lure-eval}
data=${LURE_DATASETS:-../shared/datasets}
mkdir -p "$out"
go build -o "$out/lure" ./cmd/lure

run() { # name file...
	local name=$1; shift
	"$out/lure" eval "$@" >"$out/$name.md"
	"$out/lure" eval --json "$@" >"$out/$name.json"
	printf '%-22s %s\n' "$name" "$(sed -n 's/^| all | \(.*\)$/\1/p' "$out/$name.md")"
}

echo "name                   n | deceptive | flagged | precision | recall | F1 | PR-AUC | ROC-AUC |"
run dev testdata/corpus/dev.jsonl
for f in testdata/corpus/dev-*.jsonl; do
	run "$(basename "$f" .jsonl)" "$f"
done
# dev-news and dev-short: odd ids for development, even ids reported only.
for name in dev-news dev-short; do
	grep -E '"id": *"[^"]*[13579]"' "testdata/corpus/$name.jsonl" >"$out/${name}_odd.jsonl"
	grep -E '"id": *"[^"]*[02468]"' "testdata/corpus/$name.jsonl" >"$out/${name}_even.jsonl"
	run "${name}_odd_dev" "$out/${name}_odd.jsonl"
	run "${name}_even_untouched" "$out/${name}_even.jsonl"
done
run holdout testdata/corpus/holdout.jsonl
run holdout-region testdata/corpus/holdout-region.jsonl
if [ -d "$data" ]; then
	# lure_dev_v3: ids ending in an odd digit are for development and
	# fitting, even ones are the untouched split (its README).
	v3=$data/lure_dev_v3/ads.jsonl
	grep -E '"id": *"[^"]*[13579]"' "$v3" >"$out/lure_dev_v3_odd.jsonl"
	grep -E '"id": *"[^"]*[02468]"' "$v3" >"$out/lure_dev_v3_even.jsonl"
	run v3_odd_dev "$out/lure_dev_v3_odd.jsonl"
	run v3_even_untouched "$out/lure_dev_v3_even.jsonl"
	for f in "$data"/ru_jobs/*.csv; do
		run "ru_$(basename "$f" .csv)" "$f"
	done
	run difraud_test "$data/emscad/difraud_job_scams_test.jsonl"
	run difraud_validation "$data/emscad/difraud_job_scams_validation.jsonl"
else
	echo "no data sets at $data (set LURE_DATASETS); corpus only" >&2
fi
echo "reports in $out"
