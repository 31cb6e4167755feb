// Shared by the Magenta.js fixture scripts: offline loading of local checkpoints, a seeded
// PRNG and a TF.js weights writer (independent of the C++ reader, so each checks the other).
'use strict';

const fs = require('fs');
const path = require('path');
const {fileURLToPath} = require('url');

// --- Offline loading: Magenta.js fetches config/manifest with node-fetch, tfjs fetches the
// shards with globalThis.fetch; both read local files here (magentajs-checkpoints.md §5.1).
const localFetch = (url) => {
  const s = String(url);
  const p = s.startsWith('file://') ? fileURLToPath(s) : s;
  return fs.promises.readFile(p).then(
      (b) => new Response(b, {status: 200}), (e) => new Response(String(e), {status: 404}));
};
const nodeFetchPath = require.resolve('node-fetch');
require.cache[nodeFetchPath] =
    {id: nodeFetchPath, filename: nodeFetchPath, loaded: true, exports: localFetch};
globalThis.fetch = localFetch;

// --- Seeded PRNG (mulberry32) so fixtures are reproducible.
function makeRng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6D2B79F5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// --- TF.js weights writer (independent of the C++ one, so each checks the other).
function quantize(values, bits) {
  const qmax = bits === 8 ? 255 : 65535;
  let min = Infinity, max = -Infinity;
  for (const v of values) { min = Math.min(min, v); max = Math.max(max, v); }
  let scale = 1;
  if (max > min) {
    scale = (max - min) / qmax;
    if (min <= 0 && max >= 0) {
      const zeroPoint = Math.round(-min / scale);
      min = -zeroPoint * scale;
      max = min + qmax * scale;
    }
  }
  const q = bits === 8 ? new Uint8Array(values.length) : new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = Math.min(Math.max(values[i], min), max);
    q[i] = max > min ? Math.min(qmax, Math.floor((v - min) / scale + 0.5)) : 0;
  }
  return {bytes: Buffer.from(q.buffer), quantization: {min, scale, dtype: bits === 8 ? 'uint8' : 'uint16'}};
}

function writeCheckpoint(dir, tensors, shardSize, shardExt) {
  const weights = [];
  const chunks = [];
  for (const t of tensors) {
    const entry = {name: t.name, shape: t.shape, dtype: 'float32'};
    if (t.storage === 'uint8' || t.storage === 'uint16') {
      const q = quantize(t.values, t.storage === 'uint8' ? 8 : 16);
      entry.quantization = q.quantization;
      chunks.push(q.bytes);
    } else if (t.storage === 'float16') {
      entry.quantization = {dtype: 'float16'};
      chunks.push(Buffer.from(new Uint16Array(float32ToFloat16Bits(t.values)).buffer));
    } else {
      chunks.push(Buffer.from(new Float32Array(t.values).buffer));
    }
    weights.push(entry);
  }
  const all = Buffer.concat(chunks);
  const n = Math.max(1, Math.ceil(all.length / shardSize));
  const paths = [];
  for (let s = 0; s < n; s++) {
    const name = `group1-shard${s + 1}of${n}${shardExt}`;
    fs.writeFileSync(path.join(dir, name), all.subarray(s * shardSize, (s + 1) * shardSize));
    paths.push(name);
  }
  fs.writeFileSync(path.join(dir, 'weights_manifest.json'),
                   JSON.stringify([{paths, weights}], null, 1) + '\n');
}

// IEEE half from float32, round to nearest even (only used for one fixture tensor).
function float32ToFloat16Bits(values) {
  const f = new Float32Array(1), u = new Uint32Array(f.buffer);
  return Array.from(values, (v) => {
    f[0] = v;
    const x = u[0], sign = (x >>> 16) & 0x8000;
    let exp = ((x >>> 23) & 0xff) - 127 + 15, mant = x & 0x7fffff;
    if (exp <= 0) {  // subnormal half
      if (exp < -10) return sign;
      mant |= 0x800000;
      const shift = 14 - exp;
      let half = mant >>> shift;
      const rem = mant & ((1 << shift) - 1), mid = 1 << (shift - 1);
      if (rem > mid || (rem === mid && (half & 1))) half++;
      return sign | half;
    }
    let half = sign | (exp << 10) | (mant >>> 13);
    const rem = mant & 0x1fff;
    if (rem > 0x1000 || (rem === 0x1000 && (half & 1))) half++;
    return exp >= 31 ? sign | 0x7c00 : half;
  });
}

// --- A random tensor, uniform in [-scale, scale], stored as `storage` (default float32).
function randomTensor(rng, name, shape, scale, storage) {
  const n = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(n);
  for (let i = 0; i < n; i++) values[i] = (rng() * 2 - 1) * scale;
  return {name, shape, values, storage: storage || 'float32'};
}

module.exports = {makeRng, writeCheckpoint, randomTensor};
