/**
 * The shipped fp16 weights, decoded to float32 in the browser.
 *
 * A weights asset (written by hfanatomy.web.assets) is a classic script that sets
 * globalThis.HFA_ASSETS[name] = { config, tokenizer, tokenizer_config, tensors, fp16 }:
 * fp16 is every tensor's half-precision bytes (little-endian, in the order of `tensors`)
 * as one base85 string (RFC 1924, as Python's base64.b85encode; `bytes` of them before the
 * padding to 4), and tensors lists [name, shape, offset in values].
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

const B85 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~";

/** base85 (RFC 1924) -> the first `length` bytes: each 5 characters are one big-endian
 * 32-bit number in base 85, i.e. 4 bytes. */
function base85Bytes(text, length) {
  if (text.length % 5) throw new Error(`base85 text of ${text.length} characters: not a multiple of 5`);
  const digit = new Uint8Array(128).fill(255);
  for (let i = 0; i < 85; i++) digit[B85.charCodeAt(i)] = i;
  const bytes = new Uint8Array((text.length / 5) * 4);
  for (let i = 0, o = 0; i < text.length; i += 5, o += 4) {
    let v = 0;
    for (let j = 0; j < 5; j++) {
      const d = digit[text.charCodeAt(i + j)];
      if (d === 255 || d === undefined) throw new Error(`not a base85 character at ${i + j}`);
      v = v * 85 + d;  // < 2**32 for valid text, exact in a double
    }
    bytes[o] = v >>> 24; bytes[o + 1] = (v >>> 16) & 255; bytes[o + 2] = (v >>> 8) & 255;
    bytes[o + 3] = v & 255;
  }
  return bytes.subarray(0, length);
}

/** Half-precision values (Uint16Array of bit patterns) -> Float32Array. */
function halfToFloat(halves) {
  const table = halfTable();
  const out = new Float32Array(halves.length);
  for (let i = 0; i < halves.length; i++) out[i] = table[halves[i]];
  return out;
}

/** { tensor name: Float32Array (flat, row-major) } and { tensor name: shape } of one asset. */
export function decodeWeights(asset) {
  const bytes = base85Bytes(asset.fp16, asset.bytes);
  const values = halfToFloat(new Uint16Array(bytes.buffer, 0, bytes.length / 2));
  const weights = {}, shapes = {};
  for (const [name, shape, offset] of asset.tensors) {
    const size = shape.reduce((a, b) => a * b, 1);
    weights[name] = values.subarray(offset, offset + size);
    shapes[name] = shape;
  }
  return { weights, shapes };
}
