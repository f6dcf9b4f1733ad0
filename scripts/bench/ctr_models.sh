#!/usr/bin/env bash
# AUC and logloss of LR, FM, DeepFM and AutoFIS on the planted synthetic CTR data for
# data_seed 1, 2, 3 (docs/results.md#ctr-lr-fm-deepfm-and-autofis-issue-23): runs ctr_models.yml once per seed and prints
# each step's last validation epoch and the pairs AutoFIS kept.
# Usage: scripts/bench/ctr_models.sh   (LYRA=path/to/lyra to use another binary)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
LYRA="${LYRA:-$here/../lyra}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for seed in 1 2 3; do
  sed "s/data_seed: 1/data_seed: $seed/" "$here/ctr_models.yml" > "$work/ctr_$seed.yml"
  (cd "$work" && "$LYRA" run "ctr_$seed.yml" 2>&1) | grep -E "planted pairs|kept|epoch 3/3 valid" | sort -u | sed "s/^/seed $seed /"
done
