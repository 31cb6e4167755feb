#!/usr/bin/env bash
# Reproduces every default model shipped in models/ from the shared corpora, with the same
# toccata-cli the project builds. Each model trains in its own run folder (resumable: run the
# script again and finished models are skipped, interrupted ones continue from their last
# checkpoint), then its exported model/ is copied to models/<id>/ (MusicVAE ones stored as
# float16).
#
#   tools/training/train-defaults.sh [MODEL_ID ...]     (default: all of them)
#
# Environment: TOCCATA_CLI (default build/release/bin/toccata-cli), DATASETS (default
# ../shared/datasets), RUNS (default build/default-model-runs), STEPS_SCALE (multiplies every
# step count, e.g. 0.1 for a quick try), NPROC (processes per run, default 1), EXPORT_ONLY=1
# (no more training: re-export each existing run at its newest checkpoint and ship that).
set -euo pipefail
cd "$(dirname "$0")/../.."
cli=${TOCCATA_CLI:-build/release/bin/toccata-cli}
datasets=${DATASETS:-../shared/datasets}
runs=${RUNS:-build/default-model-runs}
scale=${STEPS_SCALE:-1}
nproc=${NPROC:-1}
[ -x "$cli" ] || { echo "train-defaults: build toccata-cli first ($cli not found)" >&2; exit 1; }
[ -d "$datasets" ] || { echo "train-defaults: no corpora at $datasets" >&2; exit 1; }

nottingham_licence="Nottingham Music Database, GPL-3.0 ($datasets/nottingham/LICENSE.md)"
groove_licence="Groove MIDI Dataset, CC BY 4.0 ($datasets/groove/LICENSE)"
asap_licence="ASAP, CC BY-NC-SA 4.0 ($datasets/asap/LICENSE.md)"

vae_sizes="z_size=128,enc_rnn_size=[256],dec_rnn_size=[256,256],batch_size=64,eval_every=200,checkpoint_every=200,early_stopping_patience=5"

# id | config | data | steps | hparams | corpus | licence
models=(
  "attention_rnn_folk|attention_rnn|$datasets/nottingham/melody|1500|batch_size=64,rnn_layer_sizes=[64,64],attn_length=40,max_steps=256,eval_every=100,checkpoint_every=100,early_stopping_patience=5|Nottingham folk tunes, melody/ (931 MIDI files)|$nottingham_licence"
  "lookback_rnn_folk|lookback_rnn|$datasets/nottingham/melody|1500|batch_size=64,rnn_layer_sizes=[128,128],max_steps=256,eval_every=100,checkpoint_every=100,early_stopping_patience=5|Nottingham folk tunes, melody/ (931 MIDI files)|$nottingham_licence"
  "drum_kit_groove|drum_kit|$datasets/groove|1200|batch_size=32,rnn_layer_sizes=[64,64],attn_length=32,max_steps=256,eval_every=100,checkpoint_every=100,early_stopping_patience=5|Groove MIDI Dataset (1021 MIDI files, human drummers)|$groove_licence"
  "chord_pitches_improv_folk|chord_pitches_improv|$datasets/nottingham|2000|batch_size=64,rnn_layer_sizes=[64,64],max_steps=256,eval_every=100,checkpoint_every=100,early_stopping_patience=5|Nottingham folk tunes, melody/ aligned with chords/ by file name, in all 12 keys|$nottingham_licence"
  # MusicVAE / GrooVAE: Magenta's 2-bar configs at CPU sizes (z 128, encoder 256, decoder
  # 2x256; Magenta: 256 / 512 / 2x256), teacher forcing (no scheduled sampling: it would
  # barely start within these runs), 48 free bits for every model so the decoders learn to
  # use z within the run, and lighter dropout for GrooVAE (keep 0.5; Magenta: 0.3).
  "mel_2bar_folk|cat-mel_2bar_small|$datasets/nottingham/melody|6000|$vae_sizes,free_bits=48,beta_rate=0,sampling_schedule=constant,sampling_rate=0|Nottingham folk tunes, melody/ (4/4 tunes, 2-bar windows on every bar line, shifted +-5 semitones at random)|$nottingham_licence"
  "drums_2bar_groove|cat-drums_2bar_small|$datasets/groove|3000|$vae_sizes,sampling_schedule=constant,sampling_rate=0|Groove MIDI Dataset (4/4 performances quantized to 16ths, 2-bar windows on every bar line)|$groove_licence"
  "groovae_2bar_humanize_groove|groovae_2bar_humanize|$datasets/groove|6000|$vae_sizes,dropout_keep_prob=0.5|Groove MIDI Dataset (4/4 performances, consecutive 2-bar windows with the drummers' timing and velocity)|$groove_licence"
  "groovae_2bar_tap2drum_groove|groovae_2bar_tap_fixed_velocity|$datasets/groove|3000|$vae_sizes,dropout_keep_prob=0.5|Groove MIDI Dataset (4/4 performances, consecutive 2-bar windows; input: every hit as one tapped rhythm)|$groove_licence"
  "groovae_2bar_add_closed_hh_groove|groovae_2bar_add_closed_hh|$datasets/groove|3000|$vae_sizes,dropout_keep_prob=0.5|Groove MIDI Dataset (4/4 performances, consecutive 2-bar windows; input: the beat without its closed hi-hat)|$groove_licence"
  # Piano Genie: the tutorial's model and objective (2 x 128 LSTMs, encoder + decoder, batch
  # 32, 128-note windows, +-5% tempo, +-6 semitones) for 6000 steps (the tutorial: 50000 on a
  # GPU), at Adam 1e-3 instead of its 3e-4: after 300 steps that had a held-out NLL of 2.43
  # nats per note against 3.40 (1.97 after 3000; unigram 4.08). About an hour on one core.
  "piano_genie_asap|piano_genie|$datasets/asap|6000|batch_size=32,seq_len=128,lr=0.001,model_rnn_dim=128,model_rnn_num_layers=2,eval_every=250,checkpoint_every=250|ASAP classical piano performances (926 MIDI files recorded on a Disklavier, from MAESTRO; every note A0..C8, random 128-note windows)|$asap_licence"
  # Piano performances (issue 9): 10 ms events with velocity (388 classes), 256-event windows
  # of ASAP, transposed +-3 and stretched +-5% (Magenta's augmentation). CPU sizes: Performance
  # RNN 2 x 256 (Magenta: 3 x 512), Music Transformer 4 layers of 128 (relative attention up
  # to 256 events back). Each trains on one core for as long as the session allows; the
  # held-out NLL per event sits beside the unigram/bigram baselines in its model.json.
  "performance_rnn_asap|performance_with_dynamics|$datasets/asap|6000|rnn_layer_sizes=[256,256],batch_size=16,window_events=256,eval_every=250,checkpoint_every=250,eval_max_windows=200|ASAP classical piano performances (926 MIDI files recorded on a Disklavier, from MAESTRO; sustain folded into note lengths, 256-event windows)|$asap_licence"
  "music_transformer_asap|music_transformer|$datasets/asap|6000|num_layers=4,d_model=128,num_heads=4,ff_size=512,max_relative_distance=256,window_events=256,batch_size=8,warmup_steps=200,eval_every=250,checkpoint_every=250,eval_windows=200|ASAP classical piano performances (926 MIDI files recorded on a Disklavier, from MAESTRO; sustain folded into note lengths, 256-event windows)|$asap_licence"
)

wanted=("$@")
for entry in "${models[@]}"; do
  IFS='|' read -r id config data steps hparams corpus licence <<<"$entry"
  if [ ${#wanted[@]} -gt 0 ] && [[ ! " ${wanted[*]} " =~ " $id " ]]; then continue; fi
  steps=$(awk -v s="$steps" -v k="$scale" 'BEGIN { n = int(s * k); print (n < 1 ? 1 : n) }')
  run="$runs/$id"
  resume=()
  [ -f "$run/run.json" ] && resume=(--resume)
  if [ "${EXPORT_ONLY:-0}" = 1 ]; then
    newest=$(ls "$run/checkpoints" 2>/dev/null | grep -E '^step-[0-9]+$' | sort | tail -1)
    [ -n "$newest" ] || { echo "== $id: no checkpoint to export, skipped"; continue; }
    steps=$((10#${newest#step-}))
  fi
  echo "== $id: $config on $data, $steps steps -> $run"
  "$cli" train --config "$config" --data "$data" --out "$run" --steps "$steps" \
    --hparams "$hparams" --id "$id" --corpus "$corpus" --data-license "$licence" \
    --weights-license "Toccata default model, trained by tools/training/train-defaults.sh; use it under the training data's licence" \
    --description "$config trained by Toccata on the $corpus" \
    --nproc "$nproc" --progress plain "${resume[@]}"
  rm -rf "models/$id"
  mkdir -p models
  case "$config" in
    cat-*|groovae_*)  # MusicVAE weights are megabytes: shipped as float16 (half the size)
      "$cli" models export --model "$run/model" --out "models/$id" --quantize float16 ;;
    *) cp -r "$run/model" "models/$id" ;;
  esac
  echo "== $id: shipped in models/$id"
done
