#!/usr/bin/env node
// Magenta.js MusicVAE speed benchmark: the reference numbers that `toccata-cli bench vae`
// compares Toccata's libtorch MusicVae with (@magenta/music 1.23.1, @tensorflow/tfjs 2.8.6,
// tfjs CPU backend, Node 20).
//
// Usage:
//   node tools/bench/magentajs_music_vae_bench.js --checkpoint DIR [--inputs FILE]
//        [--repeats 5] [--interp-steps 16] [--temperature 0.5]
//
// DIR is a Magenta.js MusicVAE checkpoint folder (config.json, weights_manifest.json, shards),
// read from local files with no network. FILE is JSON {"sequences": [A, B]}: two quantized
// NoteSequences (NoteSequence JSON as toccata-cli writes it) of at most the checkpoint's
// length. Without --inputs only sampling is timed.
//
// Modules: like magentajs_music_rnn_bench.js, this script resolves @magenta/music,
// @tensorflow/tfjs and node-fetch from ../parity/node_modules; install them first with
// `cd tools/parity && npm ci --ignore-scripts`.
//
// Measured through Magenta.js's public API, each op once as a warm-up, then REPEATS times:
//   sample:      mvae.sample(1, TEMPERATURE): z ~ N(0, I) (unseeded in Magenta.js), decode
//                with sampling, and the NoteSequence conversion.
//   interpolate: mvae.interpolate([A, B], INTERP_STEPS): convert and encode both, blend mu
//                linearly, decode INTERP_STEPS sequences by argmax, convert them back.
// Reports the median and the minimum wall time in milliseconds.
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

const USAGE = 'usage: node tools/bench/magentajs_music_vae_bench.js --checkpoint DIR ' +
              '[--inputs FILE] [--repeats 5] [--interp-steps 16] [--temperature 0.5]';

function fail(message, code) {
  process.stderr.write(`magentajs_music_vae_bench: ${message}\n`);
  process.exit(code);
}

function parseArgs(argv) {
  const opts = {checkpoint: null, inputs: null, repeats: 5, interpSteps: 16, temperature: 0.5};
  const keys = {'--checkpoint': 'checkpoint', '--inputs': 'inputs', '--repeats': 'repeats',
                '--interp-steps': 'interpSteps', '--temperature': 'temperature'};
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
    if (key === 'checkpoint' || key === 'inputs') {
      opts[key] = value;
    } else if (key === 'temperature') {
      const t = Number(value);
      if (!(t > 0 && t <= 2)) fail(`--temperature wants a number in (0, 2], got '${value}'`, 2);
      opts.temperature = t;
    } else {
      if (!/^[1-9][0-9]*$/.test(value)) fail(`${arg} wants a positive integer, got '${value}'`, 2);
      opts[key] = Number(value);
    }
  }
  if (!opts.checkpoint) fail(`--checkpoint DIR is required\n${USAGE}`, 2);
  if (opts.interpSteps < 2) fail('--interp-steps must be at least 2', 2);
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

// Offline loading: Magenta.js fetches config.json and the manifest through node-fetch, tfjs
// fetches the shards through globalThis.fetch; both are answered from local files.
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
    const {MusicVAE} = requireParity('@magenta/music/node/music_vae');
    const tfjsVersion = requireParity('@tensorflow/tfjs/package.json').version;
    const magentaVersion = requireParity('@magenta/music/package.json').version;
    return {tf, MusicVAE, tfjsVersion, magentaVersion};
  } catch (e) {
    fail(`cannot load @magenta/music / @tensorflow/tfjs from ${PARITY_DIR}/node_modules ` +
         `(${e.message}); run 'cd ${PARITY_DIR} && npm ci --ignore-scripts' first`, 1);
  }
}

async function loadModel(MusicVAE, dirArg) {
  const dir = path.resolve(dirArg);
  const what = `cannot load Magenta.js MusicVAE checkpoint '${dirArg}' (${dir})`;
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) fail(`${what}: no such folder`, 1);
  for (const file of ['config.json', 'weights_manifest.json']) {
    if (!fs.existsSync(path.join(dir, file))) fail(`${what}: ${file} is missing`, 1);
  }
  const model = new MusicVAE(dir);
  try {
    await model.initialize();
  } catch (e) {
    fail(`${what}: ${e && e.message ? e.message : e}`, 1);
  }
  return model;
}

// The two interpolation end points, with the step numbers as numbers (protobuf JSON may carry
// int64 fields as strings) and the fields protobuf JSON leaves out at their defaults filled in
// (Magenta.js's TrioConverter picks parts by `program`).
function readInputs(file, numSteps) {
  let json;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    fail(`cannot read --inputs '${file}': ${e.message}`, 1);
  }
  const seqs = json && json.sequences;
  if (!Array.isArray(seqs) || seqs.length !== 2) {
    fail(`--inputs '${file}': expected {"sequences": [A, B]} with two NoteSequences`, 1);
  }
  return seqs.map((ns, k) => {
    if (!ns || !Array.isArray(ns.notes) || !ns.quantizationInfo) {
      fail(`--inputs '${file}': sequence ${k} has no notes or quantizationInfo`, 1);
    }
    const notes = ns.notes.map((n) => Object.assign({}, n, {
      pitch: Number(n.pitch), velocity: Number(n.velocity || 100),
      quantizedStartStep: Number(n.quantizedStartStep || 0),
      quantizedEndStep: Number(n.quantizedEndStep || 0),
      program: Number(n.program || 0), instrument: Number(n.instrument || 0), isDrum: !!n.isDrum,
    }));
    const late = notes.find((n) => n.quantizedStartStep >= numSteps);
    if (late) {
      fail(`--inputs '${file}': sequence ${k} has a note at step ${late.quantizedStartStep}, ` +
           `past the checkpoint's ${numSteps} steps`, 1);
    }
    return Object.assign({}, ns, {notes, totalQuantizedSteps: Number(ns.totalQuantizedSteps)});
  });
}

const nowMicros = () => Number(process.hrtime.bigint()) / 1000;
function median(values) {
  const s = [...values].sort((a, b) => a - b), m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
const sig = (v, digits) => Number(v.toPrecision(digits));

// One warm-up, then `repeats` timed runs of `op` (which checks its own result).
async function timeOp(op, repeats) {
  await op();
  const ms = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = nowMicros();
    await op();
    ms.push((nowMicros() - t0) / 1000);
  }
  return {repeats, medianMs: sig(median(ms), 6), minMs: sig(Math.min(...ms), 6)};
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  quietConsole();
  installLocalFetch();
  const {tf, MusicVAE, tfjsVersion, magentaVersion} = loadModules();
  await tf.setBackend('cpu');
  if (tf.getBackend() !== 'cpu') fail('could not select the tfjs cpu backend', 1);

  const model = await loadModel(MusicVAE, opts.checkpoint);
  const numSteps = model.dataConverter.numSteps;
  const inputs = opts.inputs ? readInputs(opts.inputs, numSteps) : null;

  const sample = await timeOp(async () => {
    const out = await model.sample(1, opts.temperature);
    if (!Array.isArray(out) || out.length !== 1) throw new Error('sample returned no sequence');
  }, opts.repeats);
  sample.count = 1;
  sample.temperature = opts.temperature;

  let interpolate = null;
  if (inputs) {
    interpolate = await timeOp(async () => {
      const out = await model.interpolate(inputs, opts.interpSteps);
      if (!Array.isArray(out) || out.length !== opts.interpSteps) {
        throw new Error(`interpolate returned ${out && out.length} sequences, ` +
                        `not ${opts.interpSteps}`);
      }
    }, opts.repeats);
    interpolate.steps = opts.interpSteps;
  }
  model.dispose();

  process.stdout.write(JSON.stringify({
    tool: 'magentajs', magenta: magentaVersion, tfjs: tfjsVersion, backend: tf.getBackend(),
    node: process.version, checkpoint: opts.checkpoint, numSteps, sample, interpolate,
  }) + '\n');
}

main().catch((e) => fail(e && e.stack ? e.stack : String(e), 1));
