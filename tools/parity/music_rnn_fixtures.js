#!/usr/bin/env node
// Writes seeded random MusicRNN checkpoints in the TF.js weights format, runs Magenta.js
// (@magenta/music 1.23.1, tfjs CPU backend) on them and records what it computes, as fixtures
// for tests/parity/music_rnn (the C++ MusicRnn must agree within 1e-4).
//
// Usage: node music_rnn_fixtures.js [outDir]   (default: ../../tests/data/parity/music_rnn)
// Per config it writes <outDir>/<config>/: config.json, weights_manifest.json, shard files and
// expected.json holding
//   steps:        per-step input rows (sparse [index, value] pairs, laid out as Magenta.js feeds
//                 them: [chord control of step i+1], event one-hot of step i, [aux of step i])
//                 and the logits Magenta.js's own cells, attention wrapper and dense layer give;
//   continuation: MusicRNN.continueSequenceAndReturnProbabilities(primer, n) with no
//                 temperature (argmax): the primer's event indices, the control and aux rows
//                 Magenta.js built for all steps, the softmax per generated step, the samples,
//                 and as "output" the NoteSequence it returned (notes in its order: pitch,
//                 quantizedStartStep, quantizedEndStep, isDrum when set; totalQuantizedSteps,
//                 stepsPerQuarter). Chords are spread over primer + generated steps by
//                 encodeProgression: step s gets chords[floor(s * chords.length / total)].
'use strict';

const fs = require('fs');
const path = require('path');

const {makeRng, writeCheckpoint, randomTensor} = require('./tfjs_checkpoint');
const tf = require('@tensorflow/tfjs');
const {MusicRNN} = require('@magenta/music/node/music_rnn');

// --- Random MusicRNN weights with Magenta.js names.
function musicRnnTensors(rng, c) {
  const out = [];
  const wrapper = 'rnn/attention_cell_wrapper/';
  const prefix = c.attentionLength ? wrapper + 'multi_rnn_cell/' : 'rnn/multi_rnn_cell/';
  const storage = c.storage || {};
  let inSize = c.inputDepth;
  c.layers.forEach((h, l) => {
    const cell = `${prefix}cell_${l}/basic_lstm_cell/`;
    out.push(randomTensor(rng, cell + 'kernel', [inSize + h, 4 * h], 0.45, storage[cell + 'kernel']));
    out.push(randomTensor(rng, cell + 'bias', [4 * h], 0.3, storage[cell + 'bias']));
    inSize = h;
  });
  let denseIn = c.layers[c.layers.length - 1];
  if (c.attentionLength) {
    const a = c.layers[0], sumH = c.layers.reduce((x, y) => x + y, 0);
    const add = (name, shape, scale) =>
        out.push(randomTensor(rng, wrapper + name, shape, scale, storage[wrapper + name]));
    add('kernel', [c.inputDepth + a, c.inputDepth], 0.4);
    add('bias', [c.inputDepth], 0.2);
    add('attention/attn_w', [1, 1, a, a], 0.4);
    add('attention/attn_v', [a], 0.8);
    add('attention/kernel', [2 * sumH, a], 0.4);
    add('attention/bias', [a], 0.5);  // present in real checkpoints, unused by Magenta.js
    add('attention_output_projection/kernel', [denseIn + a, a], 0.4);
    add('attention_output_projection/bias', [a], 0.2);
    denseIn = a;
  }
  out.push(randomTensor(rng, 'fully_connected/weights', [denseIn, c.numClasses], 1.2,
                        storage['fully_connected/weights']));
  out.push(randomTensor(rng, 'fully_connected/biases', [c.numClasses], 0.3,
                        storage['fully_connected/biases']));
  // Shuffle the order like the Python converter's arbitrary map order: loaders go by name.
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

// --- Fixture definitions. Chord encoders that make Magenta.js's CPU concat truncate
// (Triad/MajorMinor, all-N.C. progressions) are deliberately not used (§5.2).
const melody = {type: 'MelodyConverter', args: {minPitch: 48, maxPitch: 83}};
const kCell = 'rnn/multi_rnn_cell/cell_';
const FIXTURES = [
  {
    id: 'basic_rnn', seed: 11, layers: [24, 24], inputDepth: 38, numClasses: 38,
    spec: {type: 'MusicRNN', dataConverter: melody}, shardSize: 4096, shardExt: '',
    storage: {[kCell + '1/basic_lstm_cell/kernel']: 'uint16', 'fully_connected/weights': 'uint8'},
    steps: 24, primerPitches: [60, -2, 62, -2, 64, 64, -1, 67], generate: 16,
  },
  {
    id: 'lookback_counter_rnn', seed: 23, layers: [24, 24], inputDepth: 43, numClasses: 38,
    spec: {type: 'MusicRNN', dataConverter: melody,
           auxInputs: [{type: 'BinaryCounter', args: {numBits: 5}}]},
    shardSize: 1 << 20, shardExt: '.bin', steps: 24,
    primerPitches: [67, -2, 65, -2, 64, -2, 62, -2], generate: 16,
  },
  {
    id: 'attention_rnn', seed: 37, layers: [16, 16, 16], inputDepth: 38, numClasses: 38,
    attentionLength: 8, spec: {type: 'MusicRNN', dataConverter: melody, attentionLength: 8},
    shardSize: 8192, shardExt: '.bin',
    storage: {'rnn/attention_cell_wrapper/attention/kernel': 'float16'},
    steps: 20, primerPitches: [72, -2, -2, 71, 69, -2, 67, -1], generate: 16,
  },
  {
    id: 'drum_kit_rnn', seed: 41, layers: [16, 16], inputDepth: 518, numClasses: 512,
    spec: {type: 'MusicRNN', dataConverter: {type: 'DrumsOneHotConverter', args: {}},
           auxInputs: [{type: 'BinaryCounter', args: {numBits: 6}}]},
    shardSize: 16384, shardExt: '',
    storage: {[kCell + '0/basic_lstm_cell/kernel']: 'uint8', 'fully_connected/weights': 'uint16'},
    steps: 6, primerDrums: [[36, 42], [], [42], [], [38, 42], [], [42], [36]], generate: 4,
  },
  // encodeProgression(chords, n) gives step s the chord chords[floor(s * chords.length / n)],
  // with n = primer + generated steps (8 + 16 = 24 here: C 0-5, Am7 6-11, F 12-17, G7 18-23);
  // the input of step i carries the chord of step i + 1.
  {
    id: 'chord_pitches_improv', seed: 53, layers: [16, 16, 16], inputDepth: 75, numClasses: 38,
    spec: {type: 'MusicRNN', dataConverter: melody, chordEncoder: 'PitchChordEncoder'},
    shardSize: 1 << 20, shardExt: '.bin', steps: 24,
    chords: ['C', 'Am7', 'F', 'G7'], primerPitches: [64, -2, 67, -2, 69, -2, 67, -2], generate: 16,
  },
];

// --- Building inputs the way MusicRNN.sampleRnn does.
function melodySequence(pitches) {
  const notes = [];
  let open = null;
  pitches.forEach((p, step) => {
    if (p === -2) return;
    if (open) { open.quantizedEndStep = step; notes.push(open); open = null; }
    if (p >= 0) open = {pitch: p, velocity: 100, quantizedStartStep: step, quantizedEndStep: step + 1};
  });
  if (open) { open.quantizedEndStep = pitches.length; notes.push(open); }
  return {notes, quantizationInfo: {stepsPerQuarter: 4}, totalQuantizedSteps: pitches.length};
}

function drumSequence(steps) {
  const notes = [];
  steps.forEach((pitches, step) => pitches.forEach((pitch) => notes.push(
      {pitch, velocity: 100, isDrum: true, quantizedStartStep: step, quantizedEndStep: step + 1})));
  return {notes, quantizationInfo: {stepsPerQuarter: 4}, totalQuantizedSteps: steps.length};
}

function controlRows(model, chords, n) {
  return model.chordEncoder ? model.chordEncoder.encodeProgression(chords, n).toFloat() : null;
}
function auxRows(model, n) {
  return model.auxInputs ?
      tf.concat(model.auxInputs.map((a) => a.getTensors(n)), 1).toFloat() : null;
}

function sparse(row) {
  const out = [];
  row.forEach((v, i) => { if (v !== 0) out.push([i, v]); });
  return out;
}
const round = (v) => Number(v.toPrecision(7));

// Runs Magenta.js's own cells / attention wrapper / dense layer over explicit input rows.
function stepLogits(model, rows) {
  let c = model.biasShapes.map((b) => tf.zeros([1, b / 4]));
  let h = model.biasShapes.map((b) => tf.zeros([1, b / 4]));
  let attn = model.attentionWrapper ? model.attentionWrapper.initState() : null;
  const logits = [];
  for (const row of rows) {
    const x = tf.tensor2d([row]);
    let out;
    if (model.attentionWrapper) {
      const r = model.attentionWrapper.call(x, c, h, attn);
      c = r.c; h = r.h; attn = r.attentionState; out = r.output;
    } else {
      [c, h] = tf.multiRNNCell(model.lstmCells, x, c, h);
      out = h[h.length - 1];
    }
    logits.push(Array.from(out.matMul(model.lstmFcW).add(model.lstmFcB).dataSync()));
  }
  return logits;
}

// The NoteSequence Magenta.js returned, as plain JSON (protobuf defaults left out).
function plainSequence(ns) {
  const notes = ns.notes.map((n) => {
    const note = {pitch: n.pitch, quantizedStartStep: Number(n.quantizedStartStep),
                  quantizedEndStep: Number(n.quantizedEndStep)};
    if (Object.prototype.hasOwnProperty.call(n, 'isDrum')) note.isDrum = Boolean(n.isDrum);
    return note;
  });
  return {notes, totalQuantizedSteps: Number(ns.totalQuantizedSteps),
          stepsPerQuarter: ns.quantizationInfo.stepsPerQuarter};
}

function margin(values) {
  const s = [...values].sort((a, b) => b - a);
  return s[0] - s[1];
}

async function makeFixture(outRoot, f) {
  const dir = path.join(outRoot, f.id);
  fs.rmSync(dir, {recursive: true, force: true});
  fs.mkdirSync(dir, {recursive: true});
  const rng = makeRng(f.seed);
  writeCheckpoint(dir, musicRnnTensors(rng, f), f.shardSize, f.shardExt);
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(f.spec, null, 2) + '\n');

  const model = new MusicRNN(path.resolve(dir));
  await model.initialize();
  const eventDepth = f.numClasses;

  // 1) Per-step logits over a random event sequence with Magenta.js's controls and aux rows.
  const events = Array.from({length: f.steps}, () => Math.floor(rng() * eventDepth));
  const ctrl = controlRows(model, f.chords, f.steps + 1);
  const aux = auxRows(model, f.steps);
  const ctrlRows = ctrl ? ctrl.arraySync() : null, auxArr = aux ? aux.arraySync() : null;
  const rows = events.map((e, i) => {
    const oneHot = new Array(eventDepth).fill(0);
    oneHot[e] = 1;
    return [...(ctrlRows ? ctrlRows[i + 1] : []), ...oneHot, ...(auxArr ? auxArr[i] : [])];
  });
  const logits = stepLogits(model, rows);

  // 2) Greedy continuation through the public API.
  const primer = f.primerDrums ? drumSequence(f.primerDrums) : melodySequence(f.primerPitches);
  const primerIndices = Array.from(
      model.dataConverter.toTensor(JSON.parse(JSON.stringify(primer))).argMax(1).dataSync());
  const total = primerIndices.length + f.generate;
  const result = await model.continueSequenceAndReturnProbabilities(
      JSON.parse(JSON.stringify(primer)), f.generate, undefined, f.chords);
  const output = plainSequence(await result.sequence);
  const probs = result.probs.map((p) => Array.from(p));
  const samples = probs.map((p) => p.indexOf(Math.max(...p)));
  const minMargin = Math.min(...probs.map(margin));
  const cAll = controlRows(model, f.chords, total), aAll = auxRows(model, total);

  const expected = {
    generator: 'tools/parity/music_rnn_fixtures.js',
    magenta: '@magenta/music 1.23.1, @tensorflow/tfjs 2.8.6 (cpu backend)',
    seed: f.seed,
    inputDepth: f.inputDepth,
    numClasses: f.numClasses,
    layers: f.layers,
    attentionLength: f.attentionLength || 0,
    steps: {
      events,
      inputs: rows.map(sparse),
      logits: logits.map((l) => l.map(round)),
    },
    continuation: {
      primer: primer,
      chords: f.chords || null,
      primerEvents: primerIndices,
      controls: cAll ? cAll.arraySync().map(sparse) : null,
      aux: aAll ? aAll.arraySync().map(sparse) : null,
      samples,
      output,
      probs: probs.map((p) => p.map(round)),
      minTop2ProbMargin: round(minMargin),
    },
  };
  fs.writeFileSync(path.join(dir, 'expected.json'), JSON.stringify(expected) + '\n');
  model.dispose();
  const bytes = fs.readdirSync(dir).reduce((n, file) => n + fs.statSync(path.join(dir, file)).size, 0);
  console.log(`${f.id}: ${f.steps} logit steps, ${f.generate} generated, ` +
              `min top-2 prob margin ${minMargin.toExponential(2)}, ${(bytes / 1024).toFixed(0)} KiB`);
}

async function main() {
  const outRoot = path.resolve(process.argv[2] ||
                               path.join(__dirname, '../../tests/data/parity/music_rnn'));
  await tf.setBackend('cpu');
  const origLog = console.log;
  console.log = (...a) => { if (a[0] !== 'Initialized MusicRNN.') origLog(...a); };
  for (const f of FIXTURES) await makeFixture(outRoot, f);
}

main().catch((e) => { console.error(e); process.exit(1); });
