#!/usr/bin/env bash
# One-shot GPU check (issue 13): the CUDA paths, run for the first time a GPU is at hand.
#
#   bash benchmarks/gpu_check.sh            # from anywhere; PYTHON=/path/to/python to choose
#
# On a machine with NVIDIA GPUs it installs nothing, and runs, each under its own timeout:
# the probe; a single trial on CUDA in PyTorch and in TensorFlow; DDP over NCCL with every
# GPU (torch's launcher); TensorFlow's MirroredStrategy over every GPU (one process) and
# MultiWorkerMirrored (one worker per GPU, tf_launch); the cluster scaling estimate with
# NCCL. Then one pass/fail table with the figures. The whole run stays under five minutes:
# a step that would start after BUDGET_S is skipped and says so.
# Exit status: 0 all passed, 1 a step failed, 3 no NVIDIA GPU here (nothing was run).
set -u -o pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT" || exit 1
BUDGET_S=${BUDGET_S:-290}
STEPS=${STEPS:-200}
if [[ -n "${PYTHON:-}" ]]; then
    PY=$PYTHON
elif [[ -x .venv/bin/python ]]; then
    PY=.venv/bin/python
else
    PY=python3
fi

if ! command -v nvidia-smi >/dev/null 2>&1; then
    echo "gpu_check: no NVIDIA GPU on this machine (nvidia-smi not found); nothing was run." >&2
    echo "gpu_check: run it on a machine with NVIDIA GPUs and their driver." >&2
    exit 3
fi
GPUS=$(nvidia-smi -L 2>/dev/null | grep -c '^GPU ')
if [[ "$GPUS" -lt 1 ]]; then
    echo "gpu_check: no NVIDIA GPU on this machine (nvidia-smi lists none); nothing was run." >&2
    exit 3
fi

OUT=$(mktemp -d "${TMPDIR:-/tmp}/chooser-gpu-check.XXXXXX")
trap 'rm -rf "$OUT"' EXIT
START=$SECONDS
ROWS=()
FAILED=0

# run NAME TIMEOUT_S COMMAND...: stdout to $OUT/NAME.json, stderr to $OUT/NAME.err
run() {
    local name=$1 limit=$2
    shift 2
    if ((SECONDS - START + 5 > BUDGET_S)); then
        ROWS+=("$name|skip|the ${BUDGET_S} s budget is spent")
        return
    fi
    echo "gpu_check: $name …" >&2
    local t0=$SECONDS status
    timeout --kill-after=10 "$limit" "$@" >"$OUT/$name.json" 2>"$OUT/$name.err"
    status=$?
    local figures
    figures=$(summary "$name" "$status" "$((SECONDS - t0))")
    if [[ $status -eq 0 ]]; then
        ROWS+=("$name|pass|$figures")
    else
        FAILED=1
        ROWS+=("$name|FAIL|$figures")
    fi
}

# summary NAME STATUS SECONDS: one line of figures from the step's JSON (or its error)
summary() {
    "$PY" - "$OUT/$1.json" "$OUT/$1.err" "$2" "$3" <<'PYTHON'
import json, sys

path, err, status, took = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
text = open(path, errors="replace").read()
try:
    data = json.loads(text) if text.strip().startswith("{") else json.loads(text.strip().splitlines()[-1])
except (ValueError, IndexError):
    data = {}
if status == 124 or status == 137:
    tail = "timed out"
elif not data:
    lines = [ln for ln in open(err, errors="replace").read().splitlines() if ln.strip()]
    tail = lines[-1][:120] if lines else f"exit status {status}, no output"
else:
    tail = ""
bits = []
if "gpus" in data and "cpu" in data:  # the probe
    gpus = data.get("gpus") or []
    bits.append(f"{len(gpus)} GPU(s): " + ", ".join(str(g.get("name", "?")) for g in gpus)[:80])
    fws = data.get("frameworks") or {}
    bits += [f"{k} {v.get('version') or v.get('status')}" for k, v in fws.items()]
est = data.get("scaling_estimate")
if est:
    inputs = est.get("inputs") or {}
    if est.get("status") == "ok":
        bits.append(f"{inputs.get('backend')} α {inputs.get('alpha_s', 0) * 1e6:.1f} µs β "
                    f"{(inputs.get('beta_bytes_per_s') or 0) / 1e9:.2f} GB/s")
        for v in est.get("validation") or []:
            bits.append(f"{v['world_size']} ranks predicted {v['predicted_efficiency']} "
                        f"measured {v['measured_efficiency']} (±25 %: {v['within_25pct']})")
    else:
        bits.append(f"estimate not made: {est.get('message')}")
result = data if "samples_per_second" in data or "status" in data and "framework" in data else None
if result is None and data.get("event") == "result":
    result = data
if result is not None and not est:
    sps = (result.get("samples_per_second") or {}).get("median")
    where = result.get("device_name") or result.get("device")
    bits.append(str(result.get("status", "ok")) + (f" on {where}" if where else ""))
    if result.get("backend"):
        bits.append(str(result["backend"])[:60])
    if result.get("world_size"):
        bits.append(f"{result['world_size']} rank(s)")
    if sps:
        bits.append(f"{sps:,.0f} samples/s")
    if result.get("test_accuracy") is not None:
        bits.append(f"accuracy {result['test_accuracy'] * 100:.2f} %")
    if result.get("message"):
        bits.append(str(result["message"])[:100])
if data.get("event") == "error":
    bits.append(str(data.get("message"))[:120])
print("; ".join(b for b in [*bits, tail] if b) + f" ({took} s)")
PYTHON
}

CHOOSER=("$PY" -m chooser)
run probe 60 "${CHOOSER[@]}" probe --json
run torch_cuda 75 "${CHOOSER[@]}" trial --framework torch --device cuda --steps "$STEPS" --json
run tensorflow_cuda 100 "${CHOOSER[@]}" trial --framework tensorflow --device cuda \
    --steps "$STEPS" --json
if [[ "$GPUS" -ge 2 ]]; then
    run ddp_nccl 90 "${CHOOSER[@]}" trial --framework torch --mode distributed \
        --workers "$GPUS" --device cuda --steps "$STEPS" --json
    run tf_mirrored 100 "$PY" -m probes.trials.tensorflow_trial --mode distributed \
        --device cuda --steps "$STEPS"
    run tf_multiworker 120 "${CHOOSER[@]}" trial --framework tensorflow --mode distributed \
        --workers "$GPUS" --device cuda --steps "$STEPS" --json
    run scaling_nccl 150 "${CHOOSER[@]}" trial --scaling-estimate --device cuda --json
else
    for name in ddp_nccl tf_mirrored tf_multiworker; do
        ROWS+=("$name|skip|needs 2 or more GPUs; this machine has $GPUS")
    done
    run scaling_gloo 150 "${CHOOSER[@]}" trial --scaling-estimate --device cuda --json
fi

printf '\n%-16s %-5s %s\n' "step" "" "figures"
for row in "${ROWS[@]}"; do
    IFS='|' read -r name verdict figures <<<"$row"
    printf '%-16s %-5s %s\n' "$name" "$verdict" "$figures"
done
printf '\n%d GPU(s), %d s in all; %s\n' "$GPUS" "$((SECONDS - START))" \
    "$([[ $FAILED -eq 0 ]] && echo "every step that ran passed" || echo "some steps FAILED")"
exit "$FAILED"
