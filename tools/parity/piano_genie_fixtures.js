#!/usr/bin/env node
// Writes a seeded random Piano Genie checkpoint with the official Magenta.js variable names
// (`phero_model/decoder/...`, plain PianoGenie: 123 inputs, 2 x 128 LSTMBlockCell, 88 keys),
// plays button performances through Magenta.js's PianoGenie (@magenta/music 1.23.1, tfjs CPU
// backend) and records what it answers, as the fixture of the C++ Piano Genie parity test
// (tests/parity/piano_genie; docs/design/pianogenie.md).
//
// Usage: node piano_genie_fixtures.js [outDir]   (default: ../../tests/data/parity/piano_genie)
// It writes <outDir>/official/: weights_manifest.json, the shard (kernels stored as uint8) and
// expected.json holding
//   buttons, dts:  the performance; dts[i] is the time since press i-1 in seconds. Press 0 is
//                  the first after resetState(), whose dt Magenta.js takes from the clock as
//                  "100000 s ago" (time bin 32); every later dt goes through
//                  overrideDeltaTime(), so no wall-clock time reaches the model.
//   argmax:        keys of next(button, 0) and, per press, the 88 logits Magenta.js computed
//                  (captured through nextWithCustomSamplingFunction, which then takes argMax).
//   seeded:        runs of next(button, T, seed): Magenta.js's tf.multinomial draws
//                  r = alea(String(seed))() afresh on every call, so every press of a run uses
//                  the same r, recorded beside the keys (the C++ test samples with that r).
//   keyList:       runs of nextFromKeyList(button, keyList, T, seed) (T 0 = argmax).
'use strict';

const fs = require('fs');
const path = require('path');

const {makeRng, writeCheckpoint, randomTensor} = require('./tfjs_checkpoint');
// Magenta.js's piano_genie bundle pulls in Tone.js, which cannot load under Node; Piano Genie
// never uses it, so a do-nothing module stands in (magentajs-checkpoints.md §5.1).
const tonePath = require.resolve('tone');
require.cache[tonePath] = {id: tonePath, filename: tonePath, loaded: true,
                           exports: new Proxy({}, {get: () => function () {}})};
const tf = require('@tensorflow/tfjs');
const seedrandom = require('seedrandom');
const {PianoGenie} = require('@magenta/music/node/piano_genie');

function pianoGenieTensors(rng) {
  const p = 'phero_model/decoder/';
  const out = [];
  const add = (name, shape, scale, storage) => out.push(randomTensor(rng, name, shape, scale, storage));
  add(p + 'rnn_input/dense/kernel', [123, 128], 0.5, 'uint8');
  add(p + 'rnn_input/dense/bias', [128], 0.2);
  for (let l = 0; l < 2; l++) {
    const cell = `${p}rnn/rnn/multi_rnn_cell/cell_${l}/lstm_cell/`;
    add(cell + 'kernel', [256, 512], 0.25, 'uint8');
    add(cell + 'bias', [512], 0.2);
  }
  add(p + 'pitches/dense/kernel', [128, 88], 1.2, 'uint8');
  add(p + 'pitches/dense/bias', [88], 0.5);
  for (let i = out.length - 1; i > 0; i--) {  // loaders go by name, not by order
    const j = Math.floor(rng() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

// A performance: scales up and down, trills, a chord (dt 0) and long rests (bin 32), then
// random presses. dt values cover bins 0..32, including float32 products near .5.
function performance(rng) {
  const buttons = [0, 1, 2, 3, 4, 5, 6, 7, 7, 6, 5, 4, 3, 2, 1, 0, 3, 4, 3, 4, 3, 4, 0, 7];
  const dts = [100000, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.2, 0.5, 0.016, 0.25, 0.3, 1.0, 1.5,
               0.0, 0.0, 0.12, 0.048, 0.08, 0.144, 0.7, 0.9, 0.032, 2.0];
  while (buttons.length < 64) {
    buttons.push(Math.floor(rng() * 8));
    dts.push(Math.round(rng() * rng() * 1200) / 1000);
  }
  return {buttons, dts};
}

function play(model, perf, pressFn) {
  model.resetState();
  return perf.buttons.map((b, i) => {
    if (i > 0) model.overrideDeltaTime(perf.dts[i]);
    return pressFn(b, i);
  });
}

async function main() {
  await tf.setBackend('cpu');
  tf.disableDeprecationWarnings();  // Magenta.js's piano_genie uses tf.addStrict
  const outRoot = path.resolve(process.argv[2] ||
                               path.join(__dirname, '../../tests/data/parity/piano_genie'));
  const dir = path.join(outRoot, 'official');
  fs.mkdirSync(dir, {recursive: true});
  const rng = makeRng(20240607);
  writeCheckpoint(dir, pianoGenieTensors(rng), 1 << 20, '.bin');
  const model = new PianoGenie(dir);
  await model.initialize();
  const perf = performance(rng);
  const expected = {buttons: perf.buttons, dts: perf.dts};

  const logits = [];
  const argmaxKeys = play(model, perf, (b) => model.nextWithCustomSamplingFunction(b, (l) => {
    logits.push(Array.from(l.dataSync(), (v) => Number(v.toPrecision(8))));
    return tf.argMax(l, 0);
  }));
  const nextKeys = play(model, perf, (b) => model.next(b, 0));
  if (JSON.stringify(nextKeys) !== JSON.stringify(argmaxKeys)) throw new Error('argmax paths differ');
  expected.argmax = {keys: argmaxKeys, logits};

  expected.seeded = [[0.25, 1337], [1.0, 7], [0.6, 2024], [1.0, 31337]].map(([temperature, seed]) => ({
    temperature, seed, r: seedrandom.alea(String(seed))(),
    keys: play(model, perf, (b) => model.next(b, temperature, seed)),
  }));

  const keyList = [];
  for (let k = 15; k <= 60; k++) if ([0, 2, 4, 5, 7, 9, 11].includes((k + 21) % 12)) keyList.push(k);
  expected.keyList = [[0, 1], [0.5, 99], [1.0, 5]].map(([temperature, seed]) => ({
    keyList, temperature, seed, r: seedrandom.alea(String(seed))(),
    keys: play(model, perf, (b) => model.nextFromKeyList(b, keyList, temperature, seed)),
  }));

  fs.writeFileSync(path.join(dir, 'expected.json'), JSON.stringify(expected) + '\n');
  model.dispose();
  const bytes = fs.readdirSync(dir).reduce((n, f) => n + fs.statSync(path.join(dir, f)).size, 0);
  console.log(`official: ${perf.buttons.length} presses, argmax ${argmaxKeys.slice(0, 16).join(' ')} ..., ` +
              `${Math.round(bytes / 1024)} KiB`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
