#!/bin/sh
# A FAKE toccata-cli for TestTrainingDashboard (the test copies it into a temporary folder and
# points $TOCCATA_CLI at it). Records its arguments in $FAKE_DIR/args.txt and plays back a
# training run as `--progress json` lines, following the `toccata-cli train` contract.
# FAKE_MODE: full (default) | slow (trains until SIGTERM) | error (error event, exit 3) |
# crash (exit 2, only stderr). SIGTERM: checkpoint, done "stopped", exit 0.
# Loss falls 0.1 per 100 steps from 3.0; eval and a checkpoint every 200 steps; 10 s a step.
printf '%s\n' "$@" > "$FAKE_DIR/args.txt"
out=""; steps=2000; resume=0; prev=""
for a in "$@"; do
  case "$prev" in --out) out="$a" ;; --steps) steps="$a" ;; esac
  [ "$a" = "--resume" ] && resume=1
  prev="$a"
done
emit() { printf '%s\n' "$1"; sleep 0.02; }
step=0
checkpoint() {
  mkdir -p "$out/checkpoints/step-$step"
  echo "$step" > "$out/checkpoints/last"
  emit "{\"event\":\"checkpoint\",\"step\":$step,\"path\":\"$out/checkpoints/step-$step\"}"
}
finish() {
  mkdir -p "$out/model" && cp "$FAKE_MODEL/model.json" "$out/model/model.json"
  emit "{\"event\":\"done\",\"step\":$step,\"reason\":\"$1\",\"model\":\"$out/model\"}"
}
train() {
  loss=$(awk "BEGIN { print 3 - $step / 1000 }")
  ppl=$(awk "BEGIN { print exp($loss) }")
  emit "{\"event\":\"train\",\"step\":$step,\"total_steps\":$steps,\"loss\":$loss,\"perplexity\":$ppl,\"accuracy\":0.42,\"learning_rate\":0.001,\"examples_per_s\":123.5,\"elapsed_s\":$((step * 10)),\"eta_s\":$(((steps - step) * 10))}"
}
trap 'checkpoint; finish stopped; exit 0' TERM
mkdir -p "$out"
echo "fake trainer: mode ${FAKE_MODE:-full}" >&2
emit '{"event":"dataset","files_read":12,"files_skipped":2,"train_examples":340,"eval_examples":38,"stats":"melodies: 340\nmean length: 64 steps"}'
case "$FAKE_MODE" in
  error) echo "this line is on stderr" >&2
         emit '{"event":"error","message":"cannot read song.mid: not a MIDI file"}'; exit 3 ;;
  crash) echo "segfault imminent" >&2; exit 2 ;;
esac
[ "$resume" = 1 ] && step=$(cat "$out/checkpoints/last")
emit "{\"event\":\"start\",\"step\":$step,\"total_steps\":$steps}"
if [ "$FAKE_MODE" = slow ]; then
  n=0
  while [ $n -lt 2000 ]; do step=$((step + 10)); train; sleep 0.05; n=$((n + 1)); done
fi
while [ $step -lt $steps ]; do
  step=$((step + 100)); [ $step -gt $steps ] && step=$steps
  train
  if [ $((step % 200)) -eq 0 ]; then
    emit "{\"event\":\"eval\",\"step\":$step,\"loss\":$(awk "BEGIN { print 3.1 - $step / 2000 }"),\"perplexity\":20.5,\"accuracy\":0.4,\"best\":true}"
    checkpoint
  fi
done
finish finished
