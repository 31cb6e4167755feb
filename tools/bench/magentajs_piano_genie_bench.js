#!/usr/bin/env node
// Magenta.js Piano Genie speed benchmark: the reference numbers that Toccata's Piano Genie
// (official Magenta.js layout) is compared with in `toccata-cli bench genie`
// (@magenta/music 1.23.1, @tensorflow/tfjs 2.8.6, tfjs CPU backend, Node 20).
//
// Usage:
//   node tools/bench/magentajs_piano_genie_bench.js --checkpoint DIR
//        [--iterations 2000] [--warmup 200] [--temperature 0.25]
//
// DIR is an official-layout Piano Genie checkpoint (weights_manifest.json + shards with the
// phero_model/decoder/... names, 2x128 LSTM, 123 inputs), read from local files.
//
// Modules: resolved from ../parity/node_modules (relative to this file); install them with
// `cd tools/parity && npm ci --ignore-scripts`. Piano Genie's bundle requires 'tone', which
// does not load under Node and is never used by the model: a stub stands in for it.
//
// Measured: PianoGenie.next(button, temperature) through the public API, one press at a time,
// with overrideDeltaTime(dt) before each (so the time feature follows the same pattern as the
// C++ and PyTorch sides, not the wall clock):
//   button(i) = (3 i + floor(i / 8)) % 8,  dt(i) = [0.05, 0.1, 0.15, 0.22, 0.37, 0.7, 1.3][i % 7].
// WARMUP presses, then resetState() and ITERATIONS timed presses with temperature 0 (argmax),
// then resetState() and ITERATIONS with the temperature (softmax + tf.multinomial, unseeded).
// stdout gets one JSON line: median, p50 and p99 (nearest rank) in microseconds of each, and
// the argmax keys. Magenta.js's log lines are dropped, other console output goes to stderr.
// Errors go to stderr with exit status 1 (2 for bad arguments).
'use strict';

const fs = require('fs');
const path = require('path');
const {createRequire} = require('module');
const {fileURLToPath} = require('url');

const PARITY_DIR = path.resolve(__dirname, '../parity');
const requireParity = createRequire(path.join(PARITY_DIR, 'package.json'));
const DTS = [0.05, 0.1, 0.15, 0.22, 0.37, 0.7, 1.3];
const USAGE = 'usage: node tools/bench/magentajs_piano_genie_bench.js --checkpoint DIR ' +
              '[--iterations 2000] [--warmup 200] [--temperature 0.25]';

function fail(message, code) {
  process.stderr.write(`magentajs_piano_genie_bench: ${message}\n`);
  process.exit(code);
}

function parseArgs(argv) {
  const opts = {checkpoint: null, iterations: 2000, warmup: 200, temperature: 0.25};
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i], value;
    if (arg === '-h' || arg === '--help') {
      process.stdout.write(USAGE + '\n');
      process.exit(0);
    }
    const eq = arg.indexOf('=');
    if (arg.startsWith('--') && eq > 0) { value = arg.slice(eq + 1); arg = arg.slice(0, eq); }
    const key = {'--checkpoint': 'checkpoint', '--iterations': 'iterations', '--warmup': 'warmup',
                 '--temperature': 'temperature'}[arg];
    if (!key) fail(`unknown argument '${argv[i]}'\n${USAGE}`, 2);
    if (value === undefined) {
      if (i + 1 >= argv.length) fail(`${arg} needs a value\n${USAGE}`, 2);
      value = argv[++i];
    }
    if (key === 'checkpoint') {
      opts.checkpoint = value;
      continue;
    }
    const n = Number(value);
    const ok = key === 'temperature' ? n > 0 && n <= 1 :
                                       Number.isInteger(n) && n >= (key === 'warmup' ? 0 : 1);
    if (!ok) fail(`${arg}: bad value '${value}'`, 2);
    opts[key] = n;
  }
  if (!opts.checkpoint) fail(`--checkpoint DIR is required\n${USAGE}`, 2);
  return opts;
}

function quietConsole() {
  const toStderr = (...a) => process.stderr.write(require('util').format(...a) + '\n');
  const isMagentaLog = (a) => typeof a[0] === 'string' && a[0].startsWith('%c ');
  for (const name of ['log', 'info', 'debug', 'warn']) {
    console[name] = (...a) => { if (!isMagentaLog(a)) toStderr(...a); };
  }
}

// Module stubs: node-fetch (Magenta.js reads the manifest with it) and globalThis.fetch
// (tfjs reads the shards with it) answer from local files; 'tone' is an inert object.
function stubModule(name, exports) {
  let resolved;
  try {
    resolved = requireParity.resolve(name);
  } catch (e) {
    fail(`cannot find ${name} in ${PARITY_DIR}/node_modules; run ` +
         `'cd ${PARITY_DIR} && npm ci --ignore-scripts' first`, 1);
  }
  require.cache[resolved] = {id: resolved, filename: resolved, loaded: true, exports};
}

function installStubs() {
  const localFetch = (url) => {
    const s = String(url);
    const p = s.startsWith('file://') ? fileURLToPath(s) : s;
    return fs.promises.readFile(p).then(
        (b) => new Response(b, {status: 200}), (e) => new Response(String(e), {status: 404}));
  };
  stubModule('node-fetch', localFetch);
  globalThis.fetch = localFetch;
  stubModule('tone', new Proxy({}, {get: () => function() {}}));
}

function loadModules() {
  try {
    const tf = requireParity('@tensorflow/tfjs');
    const {PianoGenie} = requireParity('@magenta/music/node/piano_genie');
    return {tf, PianoGenie, tfjsVersion: requireParity('@tensorflow/tfjs/package.json').version,
            magentaVersion: requireParity('@magenta/music/package.json').version};
  } catch (e) {
    fail(`cannot load @magenta/music / @tensorflow/tfjs from ${PARITY_DIR}/node_modules ` +
         `(${e.message}); run 'cd ${PARITY_DIR} && npm ci --ignore-scripts' first`, 1);
  }
}

const nowMicros = () => Number(process.hrtime.bigint()) / 1000;
const sorted = (v) => [...v].sort((a, b) => a - b);
function median(values) {
  const s = sorted(values), m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
function percentile(values, p) {  // nearest rank
  const s = sorted(values);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(p / 100 * s.length) - 1))];
}
const r3 = (v) => Math.round(v * 1000) / 1000;
const summary = (m) => ({medianMicros: r3(median(m)), p50Micros: r3(percentile(m, 50)),
                         p99Micros: r3(percentile(m, 99)), count: m.length});

function presses(model, count, temperature, keys) {
  model.resetState();
  const micros = new Array(count);
  for (let i = 0; i < count; i++) {
    const button = (3 * i + Math.floor(i / 8)) % 8;
    const t0 = nowMicros();
    model.overrideDeltaTime(DTS[i % 7]);
    const key = model.next(button, temperature);
    micros[i] = nowMicros() - t0;
    if (keys) keys.push(key);
  }
  return micros;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  quietConsole();
  installStubs();
  const {tf, PianoGenie, tfjsVersion, magentaVersion} = loadModules();
  await tf.setBackend('cpu');
  if (tf.getBackend() !== 'cpu') fail('could not select the tfjs cpu backend', 1);
  // Piano Genie calls tf.addStrict on every press, which warns each time: printing that
  // warning is not the model's work, so it is switched off for the timing.
  tf.disableDeprecationWarnings();
  const dir = path.resolve(opts.checkpoint);
  if (!fs.existsSync(path.join(dir, 'weights_manifest.json'))) {
    fail(`cannot load '${opts.checkpoint}': no weights_manifest.json in ${dir}`, 1);
  }
  const model = new PianoGenie(dir);
  try {
    await model.initialize();
  } catch (e) {
    fail(`cannot load Piano Genie checkpoint '${opts.checkpoint}': ${e && e.message ? e.message : e}`, 1);
  }
  presses(model, Math.max(1, opts.warmup), opts.temperature);
  const tensorsBefore = tf.memory().numTensors;
  const keys = [];
  const argmax = presses(model, opts.iterations, 0, keys);
  const sample = presses(model, opts.iterations, opts.temperature);
  const leaked = tf.memory().numTensors - tensorsBefore;
  if (leaked !== 0) fail(`the press loop leaked ${leaked} tensors`, 1);
  model.dispose();
  process.stdout.write(JSON.stringify({
    tool: 'magentajs', magenta: magentaVersion, tfjs: tfjsVersion, backend: tf.getBackend(),
    node: process.version, checkpoint: opts.checkpoint, temperature: opts.temperature,
    argmax: summary(argmax), sample: summary(sample), argmaxKeys: keys,
  }) + '\n');
}

main().catch((e) => fail(e && e.stack ? e.stack : String(e), 1));
