#!/usr/bin/env bash
# A stand-in for a training script: reads --rate and --layers from its arguments, the activation
# from SEXTANT_PARAM_ACTIVATION, and prints its loss as name=value on the last line.
# Best near rate = 0.05, layers = 4, activation = tanh.
set -euo pipefail
while [ $# -gt 0 ]; do
  case "$1" in
    --rate) rate="$2"; shift 2 ;;
    --layers) layers="$2"; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
echo "training with rate=$rate layers=$layers activation=$SEXTANT_PARAM_ACTIVATION"
awk -v r="$rate" -v l="$layers" -v a="$SEXTANT_PARAM_ACTIVATION" 'BEGIN {
  d = log(r) / log(10) - log(0.05) / log(10)
  printf "loss=%.6f\n", d * d + (l - 4) * (l - 4) / 10 + (a == "tanh" ? 0 : 0.3)
}'
