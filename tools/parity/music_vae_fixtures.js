#!/usr/bin/env node
// Writes seeded random MusicVAE checkpoints (flat, and hierarchical: two-level encoder, conductor
// and core decoders) in the TF.js weights format, runs Magenta.js (@magenta/music 1.23.1, tfjs CPU
// backend) on them and records what it computes, as fixtures for the C++ MusicVAE parity tests
// (docs/design/musicvae.md §6).
//
// Usage: node music_vae_fixtures.js [outDir]   (default: ../../tests/data/parity/music_vae)
// Per config it writes <outDir>/<config>/: config.json, weights_manifest.json, the shard and
// expected.json holding
//   inputs:      the input NoteSequences (quantized: pitch, quantizedStartStep/EndStep,
//                velocity, isDrum) and the encoder rows Magenta.js's converter built for them
//                (sparse [index, value] pairs per step);
//   mu:          encodeTensors(those rows): the latent means (no sampling in Magenta.js);
//   decoded:     decodeTensors(mu) with no temperature (argmax / thresholds), rows per step,
//                and decode(mu) as NoteSequences;
//   interpolate: interpolate(inputs[0], inputs[1], 5) with no temperature, as NoteSequences
//                (Magenta.js blends mu linearly; the first and last are the reconstructions).
// The drums fixture goes through encodeTensors with the Python-style "no hit" column, because
// Magenta.js's own DrumsConverter sets that column one step early (musicvae.md §2.2).
// The trio fixture's notes also carry instrument and program, and its expected.json has `quirks`:
// small sequences with the rows Magenta.js's TrioConverter builds for them (drum-part bugs).
'use strict';

const fs = require('fs');
const path = require('path');

const {makeRng, writeCheckpoint, randomTensor} = require('./tfjs_checkpoint');
const tf = require('@tensorflow/tfjs');
const {MusicVAE} = require('@magenta/music/node/music_vae');

// --- Random flat MusicVAE weights with Magenta.js's variable names.
function musicVaeTensors(rng, c) {
  const out = [];
  const add = (name, shape, scale) => out.push(randomTensor(rng, name, shape, scale));
  for (const dir of ['fw', 'bw']) {
    const cell = `encoder/cell_0/bidirectional_rnn/${dir}/multi_rnn_cell/cell_0/lstm_cell/`;
    add(cell + 'kernel', [c.inputDepth + c.encoderSize, 4 * c.encoderSize], 0.4);
    add(cell + 'bias', [4 * c.encoderSize], 0.3);
  }
  add('encoder/mu/kernel', [2 * c.encoderSize, c.zSize], 0.5);
  add('encoder/mu/bias', [c.zSize], 0.2);
  add('encoder/sigma/kernel', [2 * c.encoderSize, c.zSize], 0.5);  // real checkpoints have it
  add('encoder/sigma/bias', [c.zSize], 0.2);
  let inSize = c.outputDepth + c.zSize;
  c.decoderSizes.forEach((h, l) => {
    const cell = `decoder/multi_rnn_cell/cell_${l}/lstm_cell/`;
    add(cell + 'kernel', [inSize + h, 4 * h], 0.4);
    add(cell + 'bias', [4 * h], 0.3);
    inSize = h;
  });
  const stateSize = c.decoderSizes.reduce((a, h) => a + 2 * h, 0);
  add('decoder/z_to_initial_state/kernel', [c.zSize, stateSize], 0.5);
  add('decoder/z_to_initial_state/bias', [stateSize], 0.2);
  add('decoder/output_projection/kernel', [c.decoderSizes[c.decoderSizes.length - 1], c.outputDepth], 1.5);
  add('decoder/output_projection/bias', [c.outputDepth], 0.3);
  for (let i = out.length - 1; i > 0; i--) {  // loaders go by name, not by order
    const j = Math.floor(rng() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

// --- Random hierarchical MusicVAE weights (two-level encoder, conductor, one core decoder per
// output split) with the names Magenta.js 1.23.1 reads in MusicVAE.initialize. Tensors with at
// least c.largeMin elements are stored as c.largeStorage (keeps the trio checkpoint small).
// A core decoder's `bias(i)` is added to its random output bias: it favours "no event" / "note
// off" and drum labels with few bits, so the argmax output is sparser (and the fixture smaller).
function hierVaeTensors(rng, c) {
  const out = [];
  const add = (name, shape, scale) => {
    const n = shape.reduce((a, b) => a * b, 1);
    out.push(randomTensor(rng, name, shape, scale, c.largeStorage && n >= c.largeMin ? c.largeStorage : undefined));
  };
  let inSize = c.inputDepth;
  c.encoderSizes.forEach((e, level) => {  // level 0 runs on each segment, level 1 on their embeddings
    for (const dir of ['fw', 'bw']) {
      const cell = `encoder/hierarchical_level_${level}/cell_0/bidirectional_rnn/${dir}/multi_rnn_cell/cell_0/lstm_cell/`;
      add(cell + 'kernel', [inSize + e, 4 * e], 0.4);
      add(cell + 'bias', [4 * e], 0.3);
    }
    inSize = 2 * e;
  });
  add('encoder/mu/kernel', [inSize, c.zSize], c.muScale);
  add('encoder/mu/bias', [c.zSize], 0.2);
  add('encoder/sigma/kernel', [inSize, c.zSize], 0.5);
  add('encoder/sigma/bias', [c.zSize], 0.2);
  inSize = 1;  // the conductor input is a dummy zero of width 1
  c.conductorSizes.forEach((h, l) => {
    const cell = `decoder/hierarchical_level_0/cell_${l}/lstm_cell/`;  // no multi_rnn_cell segment
    add(cell + 'kernel', [inSize + h, 4 * h], 0.6);
    add(cell + 'bias', [4 * h], 0.3);
    inSize = h;
  });
  const condState = c.conductorSizes.reduce((a, h) => a + 2 * h, 0);
  add('decoder/hierarchical_level_0/initial_state/kernel', [c.zSize, condState], 0.6);
  add('decoder/hierarchical_level_0/initial_state/bias', [condState], 0.2);
  const embSize = c.conductorSizes[c.conductorSizes.length - 1];
  c.coreDecoders.forEach(({prefix, depth, bias}) => {
    let coreIn = depth + embSize;  // [previous output, conductor embedding]
    c.decoderSizes.forEach((h, l) => {
      const cell = `${prefix}multi_rnn_cell/cell_${l}/lstm_cell/`;
      add(cell + 'kernel', [coreIn + h, 4 * h], 0.4);
      add(cell + 'bias', [4 * h], 0.3);
      coreIn = h;
    });
    const stateSize = c.decoderSizes.reduce((a, h) => a + 2 * h, 0);
    add(prefix + 'z_to_initial_state/kernel', [embSize, stateSize], 0.6);
    add(prefix + 'z_to_initial_state/bias', [stateSize], 0.2);
    add(prefix + 'output_projection/kernel', [c.decoderSizes[c.decoderSizes.length - 1], depth], 1.5);
    add(prefix + 'output_projection/bias', [depth], 0.3);
    if (bias) out[out.length - 1].values.forEach((v, i, a) => { a[i] = v + bias(i); });
  });
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

// --- Inputs: quantized NoteSequences at 4 steps per quarter, 120 qpm.
function quantized(notes, totalSteps) {
  return {
    notes: notes.map(([pitch, start, end, velocity, isDrum]) => ({
      pitch, quantizedStartStep: start, quantizedEndStep: end, velocity: velocity || 100,
      isDrum: !!isDrum, startTime: start * 0.125, endTime: end * 0.125,
    })),
    quantizationInfo: {stepsPerQuarter: 4}, totalQuantizedSteps: totalSteps,
    tempos: [{time: 0, qpm: 120}], totalTime: totalSteps * 0.125,
  };
}

const melodyA = quantized([[60, 0, 2], [62, 2, 4], [64, 4, 8], [67, 8, 12], [65, 12, 14],
                           [64, 14, 16], [62, 16, 20], [60, 20, 24], [59, 24, 28], [60, 28, 32]], 32);
const melodyB = quantized([[72, 0, 4], [71, 4, 6], [69, 6, 8], [67, 8, 16], [69, 18, 20],
                           [71, 20, 22], [72, 22, 24], [74, 24, 30]], 32);
const drumHits = (pattern, velocity) => {
  const notes = [];
  pattern.forEach(([pitch, steps]) => steps.forEach((s, k) =>
      notes.push([pitch, s, s + 1, velocity ? velocity[k % velocity.length] : 100, true])));
  return notes;
};
const drumsA = quantized(drumHits([[36, [0, 8, 16, 24]], [38, [4, 12, 20, 28]],
                                   [42, [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30]]]), 32);
const drumsB = quantized(drumHits([[36, [0, 6, 10, 16, 22, 26]], [38, [4, 12, 20, 28, 31]],
                                   [46, [2, 10, 18, 26]], [49, [0]]]), 32);
const grooveA = quantized(drumHits([[36, [0, 8, 16, 24]], [38, [4, 12, 20, 28]],
                                    [42, [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30]]],
                                   [110, 64, 90, 50]), 32);
const grooveB = quantized(drumHits([[36, [0, 10, 16, 26]], [38, [4, 12, 20, 28]], [51, [0, 4, 8, 12, 16, 20, 24, 28]]],
                                   [100, 70]), 32);

// 4-bar (64-step) inputs for the hierarchical fixtures.
const melody4A = quantized([[60, 0, 2], [62, 2, 4], [64, 4, 8], [67, 8, 12], [65, 12, 14], [64, 14, 16],
                            [62, 16, 20], [60, 20, 24], [59, 24, 28], [60, 28, 32], [64, 32, 36], [65, 36, 38],
                            [67, 38, 40], [69, 40, 44], [67, 44, 48], [65, 48, 50], [64, 50, 52], [62, 52, 56],
                            [60, 56, 64]], 64);
const melody4B = quantized([[72, 0, 4], [71, 4, 6], [69, 6, 8], [67, 8, 16], [69, 18, 20], [71, 20, 22],
                            [72, 22, 24], [74, 24, 30], [76, 32, 34], [74, 34, 36], [72, 36, 40], [71, 40, 44],
                            [69, 44, 46], [67, 46, 48], [65, 48, 52], [64, 52, 56], [62, 56, 58], [60, 58, 63]], 64);
// Trio: melody on program 0 / instrument 0, bass on program 33 (electric bass) / instrument 1,
// drums isDrum on instrument 9 (Magenta.js picks the parts by program range and isDrum only).
function trio(mel, bass, drums, totalSteps) {
  const ns = quantized([...mel, ...bass, ...drums], totalSteps);
  ns.notes.forEach((n, i) => {
    if (i < mel.length) Object.assign(n, {program: 0, instrument: 0});
    else if (i < mel.length + bass.length) Object.assign(n, {program: 33, instrument: 1});
    else Object.assign(n, {program: 0, instrument: 9});
  });
  return ns;
}
const everyN = (n, from, to) => Array.from({length: Math.ceil((to - from) / n)}, (_, k) => from + k * n);
const trioA = trio(
    [[60, 0, 2], [62, 2, 4], [64, 4, 8], [67, 8, 12], [65, 12, 14], [64, 14, 16], [62, 16, 24], [64, 32, 36],
     [65, 36, 38], [67, 38, 40], [69, 40, 44], [67, 44, 48], [65, 48, 52], [64, 52, 56], [60, 56, 64]],
    [[36, 0, 8], [36, 8, 16], [41, 16, 24], [43, 24, 32], [36, 32, 40], [45, 40, 48], [41, 48, 56], [43, 56, 64]],
    drumHits([[36, everyN(8, 0, 64)], [38, everyN(8, 4, 64)], [42, everyN(2, 0, 64)]]), 64);
const trioB = trio(
    [[72, 0, 4], [71, 4, 6], [69, 6, 8], [67, 8, 16], [69, 18, 20], [71, 20, 22], [72, 22, 24], [74, 24, 30],
     [76, 32, 34], [74, 34, 36], [72, 36, 40], [71, 40, 44], [69, 44, 46], [67, 46, 48], [65, 48, 52],
     [64, 52, 56], [62, 56, 58], [60, 58, 63]],
    [[28, 0, 4], [31, 4, 8], [33, 8, 12], [35, 12, 16], [36, 16, 24], [38, 24, 28], [40, 28, 32], [41, 32, 40],
     [43, 40, 44], [45, 44, 48], [47, 48, 52], [48, 52, 60]],
    drumHits([[36, [0, 6, 10, 16, 22, 26, 32, 38, 42, 48, 54, 58]], [38, everyN(8, 4, 64).concat([63])],
              [46, everyN(8, 2, 64)], [49, [0, 32]], [51, everyN(4, 0, 64)]]), 64);
// Drum-part quirks of Magenta.js's DrumsOneHotConverter (labels[step] += 2^class): recorded as
// the rows Magenta.js builds, not used as model inputs.
const TRIO_QUIRKS = [
  {what: 'two drum pitches of one class on one step add their bits (36+35 at step 0 -> label 2, ' +
         'the snare class; 38+40 at step 4 -> label 4); Python sets the class bit once',
   sequence: trio([], [], [[36, 0, 1, 100, true], [35, 0, 1, 100, true], [38, 4, 5, 100, true],
                           [40, 4, 5, 100, true]], 16)},
  {what: 'a drum pitch in no class adds 2^undefined = NaN, which the int32 tensor turns into ' +
         'label 0 ("no hit"), wiping the other hits of that step (pitch 90 with a kick at step 0, ' +
         'pitch 90 alone at step 4)',
   sequence: trio([], [], [[36, 0, 1, 100, true], [90, 0, 1, 100, true], [90, 4, 5, 100, true]], 16)},
  {what: 'non-drum notes outside programs 0-39 are dropped; 0-31 is melody, 32-39 bass',
   sequence: (() => {
     const ns = trio([[60, 0, 4], [64, 4, 8]], [[36, 0, 8]], [], 16);
     Object.assign(ns.notes[1], {program: 40});   // strings: dropped
     Object.assign(ns.notes[2], {program: 39});   // synth bass: still bass
     return ns;
   })()},
];

// Python's DrumsConverter roll: a column per class at each note start, the last column set on
// steps without any hit (Magenta.js's own toTensor shifts that column; see the header).
const DRUM_CLASSES = [[36, 35], [38, 27, 28, 31, 32, 33, 34, 37, 39, 40, 56, 65, 66, 75, 85],
                      [42, 44, 54, 68, 69, 70, 71, 73, 78, 80], [46, 67, 72, 74, 79, 81],
                      [45, 29, 41, 61, 64, 84], [48, 47, 60, 63, 77, 86, 87], [50, 30, 43, 62, 76, 83],
                      [49, 55, 57, 58], [51, 52, 53, 59, 82]];
function drumRoll(ns, numSteps) {
  const rows = Array.from({length: numSteps}, () => new Array(10).fill(0));
  for (const n of ns.notes) {
    const c = DRUM_CLASSES.findIndex((pitches) => pitches.includes(n.pitch));
    if (c >= 0 && n.quantizedStartStep < numSteps) rows[n.quantizedStartStep][c] = 1;
  }
  for (const row of rows) if (row.slice(0, 9).every((v) => v === 0)) row[9] = 1;
  return rows;
}

const melodyBias = (noEvent, noteOff) => (i) => (i === 0 ? noEvent : i === 1 ? noteOff : 0);
const popcount = (x) => { let n = 0; for (; x; x >>= 1) n += x & 1; return n; };
const drumsBias = (perBit) => (label) => -perBit * popcount(label);

const FIXTURES = [
  {
    id: 'mel_2bar_flat', seed: 101, inputDepth: 38, outputDepth: 38, encoderSize: 16,
    decoderSizes: [16, 16], zSize: 8, shardSize: 8192,
    spec: {type: 'MusicVAE',
           dataConverter: {type: 'MelodyConverter', args: {numSteps: 32, minPitch: 48, maxPitch: 83}}},
    inputs: [melodyA, melodyB],
  },
  {
    id: 'drums_2bar_flat', seed: 202, inputDepth: 10, outputDepth: 512, encoderSize: 16,
    decoderSizes: [16, 16], zSize: 8, shardSize: 1 << 20,
    spec: {type: 'MusicVAE', dataConverter: {type: 'DrumsConverter', args: {numSteps: 32}}},
    inputs: [drumsA, drumsB], rows: (ns) => drumRoll(ns, 32),
  },
  {
    id: 'groovae_2bar_humanize', seed: 303, inputDepth: 27, outputDepth: 27, encoderSize: 16,
    decoderSizes: [16, 16], zSize: 8, shardSize: 1 << 20,
    spec: {type: 'MusicVAE',
           dataConverter: {type: 'GrooveConverter', args: {numSteps: 32, humanize: true}}},
    inputs: [grooveA, grooveB],
  },
  {
    id: 'mel_4bar_hier', seed: 404, tensors: hierVaeTensors, inputDepth: 38, encoderSizes: [16, 16],
    conductorSizes: [16], decoderSizes: [16, 16], zSize: 8, shardSize: 16384,
    coreDecoders: [{prefix: 'core_decoder/decoder/', depth: 38, bias: melodyBias(2.0, 1.0)}], muScale: 1.5,
    spec: {type: 'MusicVAE',
           dataConverter: {type: 'MelodyConverter',
                           args: {numSteps: 64, numSegments: 4, minPitch: 48, maxPitch: 83}}},
    inputs: [melody4A, melody4B],
  },
  {
    // Bass uses its own range (24..59, also depth 38) so bassArgs are read separately.
    id: 'trio_4bar_hier', seed: 505, tensors: hierVaeTensors, inputDepth: 38 + 38 + 512,
    encoderSizes: [16, 16], conductorSizes: [16], decoderSizes: [16, 16], zSize: 8,
    shardSize: 1 << 20, largeStorage: 'uint8', largeMin: 16384, programs: true,
    coreDecoders: [{prefix: 'core_decoder/core_decoder_0/decoder/', depth: 38, bias: melodyBias(0.8, 0.4)},
                   {prefix: 'core_decoder/core_decoder_1/decoder/', depth: 38, bias: melodyBias(2.0, 1.0)},
                   {prefix: 'core_decoder/core_decoder_2/decoder/', depth: 512, bias: drumsBias(0.8)}],
    muScale: 1.5,
    spec: {type: 'MusicVAE',
           dataConverter: {type: 'TrioConverter',
                           args: {numSteps: 64, numSegments: 4, melArgs: {minPitch: 48, maxPitch: 83},
                                  bassArgs: {minPitch: 24, maxPitch: 59}, drumsArgs: {}}}},
    inputs: [trioA, trioB], quirks: TRIO_QUIRKS,
  },
];

// --- Recording helpers.
const round = (v) => Number(v.toPrecision(7));
const sparse = (row) => row.flatMap((v, i) => (v !== 0 ? [[i, round(v)]] : []));
function plainSequence(ns, programs) {
  // GrooVAE output is unquantized (times carry the micro-timing); the others are quantized.
  // With `programs` (trio) each note also carries its instrument and program.
  const isQuantized = !!(ns.quantizationInfo && ns.quantizationInfo.stepsPerQuarter);
  const note = (n) => {
    const o = {pitch: n.pitch};
    if (isQuantized) {
      o.quantizedStartStep = Number(n.quantizedStartStep);
      o.quantizedEndStep = Number(n.quantizedEndStep);
    } else {
      o.startTime = round(n.startTime);
      o.endTime = round(n.endTime);
    }
    if (n.velocity) o.velocity = n.velocity;
    if (n.isDrum) o.isDrum = true;
    if (programs) {
      o.instrument = Number(n.instrument || 0);
      o.program = Number(n.program || 0);
    }
    return o;
  };
  const out = {notes: (ns.notes || []).map(note)};
  if (ns.totalQuantizedSteps) out.totalQuantizedSteps = Number(ns.totalQuantizedSteps);
  if (ns.totalTime) out.totalTime = round(ns.totalTime);
  return out;
}

async function writeFixture(outRoot, f) {
  const dir = path.join(outRoot, f.id);
  fs.rmSync(dir, {recursive: true, force: true});
  fs.mkdirSync(dir, {recursive: true});
  const rng = makeRng(f.seed);
  writeCheckpoint(dir, (f.tensors || musicVaeTensors)(rng, f), f.shardSize, '');
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(f.spec, null, 2) + '\n');
  const model = new MusicVAE(path.resolve(dir));
  await model.initialize();

  const rows = await Promise.all(f.inputs.map(async (ns) =>
      f.rows ? f.rows(ns) : (await model.dataConverter.toTensor(ns)).arraySync()));
  const mu = await model.encodeTensors(tf.tensor3d(rows), undefined);
  const decodedRows = await model.decodeTensors(mu);
  const decoded = await model.decode(mu);
  const expected = {
    config: f.spec,
    inputs: f.inputs.map((ns, i) => ({sequence: plainSequence(ns, f.programs), rows: rows[i].map(sparse)})),
    mu: mu.arraySync().map((z) => z.map(round)),
    decoded: {rows: decodedRows.arraySync().map((seq) => seq.map(sparse)),
              sequences: decoded.map((ns) => plainSequence(ns, f.programs))},
  };
  if (!f.rows) {  // Magenta.js builds the encoder rows itself: interpolate end to end
    const interpolated = await model.interpolate(f.inputs, 5);
    expected.interpolate = {steps: 5, sequences: interpolated.map((ns) => plainSequence(ns, f.programs))};
  }
  if (f.quirks) {  // converter behaviour worth pinning down, as the rows Magenta.js builds
    expected.quirks = await Promise.all(f.quirks.map(async (q) => {
      const t = model.dataConverter.toTensor(q.sequence);
      const quirkRows = (await t.array()).map(sparse);
      t.dispose();
      return {what: q.what, sequence: plainSequence(q.sequence, f.programs), rows: quirkRows};
    }));
  }
  fs.writeFileSync(path.join(dir, 'expected.json'), JSON.stringify(expected) + '\n');
  model.dispose();
  const bytes = fs.readdirSync(dir).reduce((n, file) => n + fs.statSync(path.join(dir, file)).size, 0);
  console.log(`${f.id}: ${f.inputs.length} inputs, z ${f.zSize}, ` +
              `${expected.interpolate ? 'interpolate 5, ' : ''}${Math.round(bytes / 1024)} KiB`);
}

async function main() {
  await tf.setBackend('cpu');
  const outRoot = path.resolve(process.argv[2] ||
                               path.join(__dirname, '../../tests/data/parity/music_vae'));
  for (const f of FIXTURES) await writeFixture(outRoot, f);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
