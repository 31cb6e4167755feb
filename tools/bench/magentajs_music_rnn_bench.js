#!/usr/bin/env node
// Magenta.js MusicRNN speed benchmark: the reference numbers that Toccata's libtorch MusicRnn is
// compared with (@magenta/music 1.23.1, @tensorflow/tfjs 2.8.6, tfjs CPU backend, Node 20).
//
// Usage:
//   node tools/bench/magentajs_music_rnn_bench.js --checkpoint DIR
//        [--steps 512] [--repeats 5] [--single-steps 2000]
//
// DIR is a Magenta.js MusicRNN checkpoint folder (config.json, weights_manifest.json, shards),
// e.g. tests/data/parity/music_rnn/basic_rnn. It is read from local files, with no network.
//
// Modules: this script has no node_modules of its own. It resolves @magenta/music,
// @tensorflow/tfjs and node-fetch from ../parity/node_modules (relative to this file), so
// install them first with `cd tools/parity && npm ci --ignore-scripts`.
//
// Measured, each after one warm-up:
//   continuation: model.continueSequence(primer, STEPS) with no temperature (argmax), REPEATS
//                 times; the primer is one quantized step holding pitch 60 (MelodyConverter,
//                 clamped into its pitch range) or a kick, pitch 36 isDrum (DrumsOneHotConverter),
//                 with the chord progression ['C'] when the checkpoint is chord-conditioned.
//                 Reports the median wall time and STEPS / median.
//   singleStep:   one raw network step at batch 1, the way MusicRNN.sampleRnn runs it: the LSTM
//                 stack (tf.multiRNNCell) or, for attention checkpoints, attentionWrapper.call,
//                 then the dense layer and dataSync() on the logits, all inside tf.tidy with the
//                 previous state disposed. 100 warm-up steps, then SINGLE_STEPS timed steps;
//                 reports the median and p99 (nearest rank) in microseconds.
//
// stdout gets exactly one JSON line; Magenta.js's own log lines are dropped and any other
// console output goes to stderr. Errors go to stderr with exit status 1 (2 for bad arguments).
'use strict';

const fs = require('fs');
const path = require('path');
const {createRequire} = require('module');
const {fileURLToPath} = require('url');

const PARITY_DIR = path.resolve(__dirname, '../parity');
const requireParity = createRequire(path.join(PARITY_DIR, 'package.json'));

const USAGE = 'usage: node tools/bench/magentajs_music_rnn_bench.js --checkpoint DIR ' +
              '[--steps 512] [--repeats 5] [--single-steps 2000]';

function fail(message, code) {
  process.stderr.write(`magentajs_music_rnn_bench: ${message}\n`);
  process.exit(code);
}

function parseArgs(argv) {
  const opts = {checkpoint: null, steps: 512, repeats: 5, singleSteps: 2000};
  const keys = {'--checkpoint': 'checkpoint', '--steps': 'steps', '--repeats': 'repeats',
                '--single-steps': 'singleSteps'};
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i], value;
    if (arg === '-h' || arg === '--help') {
      process.stderr.write(USAGE + '\n');
      process.exit(0);
    }
    const eq = arg.indexOf('=');
    if (arg.startsWith('--') && eq > 0) { value = arg.slice(eq + 1); arg = arg.slice(0, eq); }
    const key = keys[arg];
    if (!key) fail(`unknown argument '${argv[i]}'\n${USAGE}`, 2);
    if (value === undefined) {
      if (i + 1 >= argv.length) fail(`${arg} needs a value\n${USAGE}`, 2);
      value = argv[++i];
    }
    if (key === 'checkpoint') {
      opts.checkpoint = value;
    } else {
      if (!/^[1-9][0-9]*$/.test(value)) fail(`${arg} wants a positive integer, got '${value}'`, 2);
      opts[key] = Number(value);
    }
  }
  if (!opts.checkpoint) fail(`--checkpoint DIR is required\n${USAGE}`, 2);
  return opts;
}

// Magenta.js logs through console.log('%c <prefix> ', style, message): drop those, and keep
// stdout for the result line by sending every other console message to stderr.
function quietConsole() {
  const toStderr = (...a) => process.stderr.write(require('util').format(...a) + '\n');
  const isMagentaLog = (a) => typeof a[0] === 'string' && a[0].startsWith('%c ');
  for (const name of ['log', 'info', 'debug', 'warn']) {
    console[name] = (...a) => { if (!isMagentaLog(a)) toStderr(...a); };
  }
}

// Offline loading as in tools/parity/music_rnn_fixtures.js: Magenta.js fetches config.json and
// the manifest through node-fetch, tfjs-core fetches the shards through globalThis.fetch; both
// are answered from local files.
function installLocalFetch() {
  const localFetch = (url) => {
    const s = String(url);
    const p = s.startsWith('file://') ? fileURLToPath(s) : s;
    return fs.promises.readFile(p).then(
        (b) => new Response(b, {status: 200}), (e) => new Response(String(e), {status: 404}));
  };
  let nodeFetchPath;
  try {
    nodeFetchPath = requireParity.resolve('node-fetch');
  } catch (e) {
    fail(`cannot find node-fetch in ${PARITY_DIR}/node_modules; run ` +
         `'cd ${PARITY_DIR} && npm ci --ignore-scripts' first`, 1);
  }
  require.cache[nodeFetchPath] =
      {id: nodeFetchPath, filename: nodeFetchPath, loaded: true, exports: localFetch};
  globalThis.fetch = localFetch;
}

function loadModules() {
  try {
    const tf = requireParity('@tensorflow/tfjs');
    const {MusicRNN} = requireParity('@magenta/music/node/music_rnn');
    const tfjsVersion = requireParity('@tensorflow/tfjs/package.json').version;
    const magentaVersion = requireParity('@magenta/music/package.json').version;
    return {tf, MusicRNN, tfjsVersion, magentaVersion};
  } catch (e) {
    fail(`cannot load @magenta/music / @tensorflow/tfjs from ${PARITY_DIR}/node_modules ` +
         `(${e.message}); run 'cd ${PARITY_DIR} && npm ci --ignore-scripts' first`, 1);
  }
}

async function loadModel(MusicRNN, dirArg) {
  const dir = path.resolve(dirArg);
  const what = `cannot load Magenta.js MusicRNN checkpoint '${dirArg}' (${dir})`;
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) fail(`${what}: no such folder`, 1);
  for (const file of ['config.json', 'weights_manifest.json']) {
    if (!fs.existsSync(path.join(dir, file))) fail(`${what}: ${file} is missing`, 1);
  }
  const model = new MusicRNN(dir);
  try {
    await model.initialize();
  } catch (e) {
    fail(`${what}: ${e && e.message ? e.message : e}`, 1);
  }
  if (!model.lstmCells.length || !model.lstmFcW || !model.lstmFcB) {
    fail(`${what}: no rnn/.../cell_0 or fully_connected weights in the manifest`, 1);
  }
  return model;
}

function makePrimer(model, dirArg) {
  const conv = model.spec.dataConverter || {};
  const args = conv.args || {};
  let note;
  if (conv.type === 'MelodyConverter') {
    const pitch = Math.min(Math.max(60, args.minPitch), args.maxPitch);
    note = {pitch, velocity: 100, quantizedStartStep: 0, quantizedEndStep: 1};
  } else if (conv.type === 'DrumsOneHotConverter') {
    note = {pitch: 36, velocity: 100, isDrum: true, quantizedStartStep: 0, quantizedEndStep: 1};
  } else {
    fail(`checkpoint '${dirArg}': data converter '${conv.type}' is not supported ` +
         '(MelodyConverter or DrumsOneHotConverter)', 1);
  }
  return {notes: [note], quantizationInfo: {stepsPerQuarter: 4}, totalQuantizedSteps: 1};
}

// Width of the per-step network input (controls + event one-hot + aux), read off the weights.
function inputDepth(model) {
  if (model.attentionWrapper) return model.attentionWrapper.attnInputMatrix.shape[1];
  return model.rawVars['rnn/multi_rnn_cell/cell_0/basic_lstm_cell/kernel'].shape[0] -
         model.biasShapes[0] / 4;
}

const nowMicros = () => Number(process.hrtime.bigint()) / 1000;

function median(values) {
  const s = [...values].sort((a, b) => a - b), m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
function percentile(values, p) {  // nearest rank
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(p / 100 * s.length) - 1))];
}
const sig = (v, digits) => Number(v.toPrecision(digits));

async function benchContinuation(model, primer, chords, steps, repeats) {
  const run = async () => {
    const t0 = nowMicros();
    const ns = await model.continueSequence(JSON.parse(JSON.stringify(primer)), steps,
                                            undefined, chords);
    const t1 = nowMicros();
    if (!ns || !Array.isArray(ns.notes)) throw new Error('continueSequence returned no sequence');
    return (t1 - t0) / 1e6;
  };
  await run();  // warm-up
  const seconds = [];
  for (let r = 0; r < repeats; r++) seconds.push(await run());
  const med = median(seconds);
  return {steps, repeats, medianSeconds: sig(med, 6), stepsPerSecond: sig(steps / med, 6)};
}

function benchSingleStep(tf, model, count) {
  const depth = inputDepth(model);
  const row = new Array(depth).fill(0);
  row[0] = 1;
  const x = tf.tensor2d([row]);
  let state = {
    c: model.biasShapes.map((b) => tf.zeros([1, b / 4])),
    h: model.biasShapes.map((b) => tf.zeros([1, b / 4])),
    attn: model.attentionWrapper ? model.attentionWrapper.initState() : null,
  };
  const step = () => {
    const next = tf.tidy(() => {
      let out, c, h, attn = null;
      if (model.attentionWrapper) {
        const r = model.attentionWrapper.call(x, state.c, state.h, state.attn);
        c = r.c; h = r.h; attn = r.attentionState; out = r.output;
      } else {
        [c, h] = tf.multiRNNCell(model.lstmCells, x, state.c, state.h);
        out = h[h.length - 1];
      }
      const logits = out.matMul(model.lstmFcW).add(model.lstmFcB);
      return attn ? {c, h, attn, logits} : {c, h, logits};
    });
    next.logits.dataSync();
    next.logits.dispose();
    tf.dispose([state.c, state.h, state.attn || []]);
    state = {c: next.c, h: next.h, attn: next.attn || null};
  };
  for (let i = 0; i < 100; i++) step();  // warm-up
  const tensorsBefore = tf.memory().numTensors;
  const micros = new Array(count);
  for (let i = 0; i < count; i++) {
    const t0 = nowMicros();
    step();
    micros[i] = nowMicros() - t0;
  }
  const leaked = tf.memory().numTensors - tensorsBefore;
  tf.dispose([state.c, state.h, state.attn || [], x]);
  if (leaked !== 0) throw new Error(`single-step loop leaked ${leaked} tensors`);
  return {steps: count, medianMicros: sig(median(micros), 6), p99Micros: sig(percentile(micros, 99), 6)};
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  quietConsole();
  installLocalFetch();
  const {tf, MusicRNN, tfjsVersion, magentaVersion} = loadModules();
  await tf.setBackend('cpu');
  if (tf.getBackend() !== 'cpu') fail('could not select the tfjs cpu backend', 1);

  const model = await loadModel(MusicRNN, opts.checkpoint);
  const primer = makePrimer(model, opts.checkpoint);
  const chords = model.chordEncoder ? ['C'] : undefined;

  const continuation =
      await benchContinuation(model, primer, chords, opts.steps, opts.repeats);
  const singleStep = benchSingleStep(tf, model, opts.singleSteps);
  model.dispose();

  process.stdout.write(JSON.stringify({
    tool: 'magentajs', magenta: magentaVersion, tfjs: tfjsVersion, backend: tf.getBackend(),
    checkpoint: opts.checkpoint, continuation, singleStep,
  }) + '\n');
}

main().catch((e) => fail(e && e.stack ? e.stack : String(e), 1));
