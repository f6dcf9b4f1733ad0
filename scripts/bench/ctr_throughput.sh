#!/usr/bin/env bash
# Lyra's and PyTorch's DeepFM training throughput, measured in the same run on the same
# machine (docs/results.md#ctr-lr-fm-deepfm-and-autofis-issue-23). Needs a release lyra (scripts/lyra builds one) and a
# Python with torch (PYTHON, default /work/.venv-ref/bin/python; comparison only).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
steps="${1:-30}"
LYRA="${LYRA:-$here/../lyra}"
PYTHON="${PYTHON:-/work/.venv-ref/bin/python}"
grep -m1 "model name" /proc/cpuinfo || true
"$LYRA" "$here/ctr_throughput.lua" "$steps"
"$PYTHON" "$here/ctr_throughput_torch.py" "$steps"
