/**
 * The shipped fp16 weights, decoded to float32 in the browser.
 *
 * A weights asset (written by hfanatomy.web.assets) is a classic script that sets
 * globalThis.HFA_ASSETS[name] = { config, tokenizer, tokenizer_config, tensors, fp16 }:
 * fp16 is every tensor's half-precision bytes (little-endian, in the order of `tensors`)
 * as one base64 string, and tensors lists [name, shape, offset in values].
 * A script tag loads under file:// where fetch() cannot.
 */

/** float32 value of each of the 65536 half-precision bit patterns. */
let HALF = null;
function halfTable() {
  if (HALF) return HALF;
  HALF = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const sign = h & 0x8000 ? -1 : 1, exp = (h >> 10) & 0x1f, frac = h & 0x3ff;
    if (exp === 0) HALF[h] = sign * frac * 2 ** -24;  // zero and subnormals
    else if (exp === 31) HALF[h] = frac ? NaN : sign * Infinity;
    else HALF[h] = sign * (1 + frac / 1024) * 2 ** (exp - 15);
  }
  return HALF;
}

/** base64 -> bytes. */
export function base64Bytes(text) {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Half-precision values (Uint16Array of bit patterns) -> Float32Array. */
export function halfToFloat(halves) {
  const table = halfTable();
  const out = new Float32Array(halves.length);
  for (let i = 0; i < halves.length; i++) out[i] = table[halves[i]];
  return out;
}

/** { tensor name: Float32Array (flat, row-major) } and { tensor name: shape } of one asset. */
export function decodeWeights(asset) {
  const bytes = base64Bytes(asset.fp16);
  const values = halfToFloat(new Uint16Array(bytes.buffer, 0, bytes.length / 2));
  const weights = {}, shapes = {};
  for (const [name, shape, offset] of asset.tensors) {
    const size = shape.reduce((a, b) => a * b, 1);
    weights[name] = values.subarray(offset, offset + size);
    shapes[name] = shape;
  }
  return { weights, shapes };
}
