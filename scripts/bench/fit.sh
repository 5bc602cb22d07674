#!/usr/bin/env bash
# fit.sh [OUTDIR] — the weight-fitting experiments of issue 9, reproducible
# with one command. Writes OUTDIR/dev.md, OUTDIR/emscad.md and
# OUTDIR/weights.yaml (default OUTDIR: a fresh temporary directory) and
# prints their before/after tables.
#
#   1. Development corpus: fit on testdata/corpus/dev.jsonl (5-fold CV picks
#      lambda), report on the held-out corpus (never fitted on) and the
#      false-positive rate on real Russian vacancies (ru_jobs, all legit).
#   2. EMSCAD (DIFrauD split): fit rule weights and a bag-of-words
#      logistic-regression baseline on the validation split, report both on
#      the test split.
#
# The data sets are read from ../shared/datasets (LURE_DATASETS overrides).
set -euo pipefail

die() { echo "bench/fit: $*" >&2; exit 1; }

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
data=${LURE_DATASETS:-$root/../shared/datasets}
out=${1:-$(mktemp -d "${TMPDIR:-/tmp}/lure-fit-XXXXXX")}
[ -d "$data/emscad" ] && [ -d "$data/ru_jobs" ] || die "no data sets in $data (set LURE_DATASETS)"
mkdir -p "$out"
cd "$root"
go build -o "$out/lure" ./cmd/lure

"$out/lure" fit --out "$out/weights.yaml" \
	--test testdata/corpus/holdout.jsonl \
	--test "$data/ru_jobs/hh_vacancies_fulltext_346.csv" \
	--test "$data/ru_jobs/superjob_vacancies_530.csv" \
	--test "$data/ru_jobs/hh_vacancies_snippets_2000.csv" \
	testdata/corpus/dev.jsonl >"$out/dev.md"

"$out/lure" fit --bow \
	--test "$data/emscad/difraud_job_scams_test.jsonl" \
	"$data/emscad/difraud_job_scams_validation.jsonl" >"$out/emscad.md"

for f in dev emscad; do
	echo "== $f ($out/$f.md)"
	sed -n '/^## Regularisation/,/^## Weight changes/p' "$out/$f.md" | sed '$d'
done
echo "weights fitted on the development corpus: $out/weights.yaml"
