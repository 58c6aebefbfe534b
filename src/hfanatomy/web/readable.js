/**
 * A token's piece as a reader would write it: hfanatomy.tokens.readable_piece in JS.
 *
 * Byte-level BPE ("byte-level BPE"): the piece's symbols stand for bytes (GPT-2's alphabet,
 * "Ġ" is a space); the bytes are decoded as UTF-8 and a space is shown as "␣" ("Ġgood" ->
 * "␣good", "ĠìĺģíĻĶëĬĶ" -> "␣영화는"). Bytes that do not make a whole character are shown as
 * hex in brackets, consecutive ones together ("<EB 8A>"), as Python's backslashreplace does.
 * WordPiece: "##ing" -> "…ing" (it continues the previous piece). Anything else: unchanged.
 */

/** The byte each byte-level symbol stands for (GPT-2's bytes_to_unicode, inverted). */
const BYTE_OF = (() => {
  const map = new Map();
  let extra = 0;
  for (let b = 0; b < 256; b++) {
    const printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
    map.set(String.fromCodePoint(printable ? b : 256 + extra++), b);
  }
  return map;
})();

/** The bytes of a byte-level piece, or null when a symbol is not in the alphabet (<s>). */
export function bytesOfPiece(piece) {
  if (!piece) return null;
  const out = [];
  for (const ch of piece) {
    if (!BYTE_OF.has(ch)) return null;
    out.push(BYTE_OF.get(ch));
  }
  return out;
}

/** Length of the valid UTF-8 character starting at bytes[i], or 0 if there is none. */
function charLength(bytes, i) {
  const b = bytes[i];
  const cont = (k) => i + k < bytes.length && (bytes[i + k] & 0xc0) === 0x80;
  if (b < 0x80) return 1;
  if (b >= 0xc2 && b <= 0xdf) return cont(1) ? 2 : 0;
  if (b >= 0xe0 && b <= 0xef) {
    const c = bytes[i + 1];
    if (!cont(1) || !cont(2)) return 0;
    if ((b === 0xe0 && c < 0xa0) || (b === 0xed && c > 0x9f)) return 0;  // overlong, surrogate
    return 3;
  }
  if (b >= 0xf0 && b <= 0xf4) {
    const c = bytes[i + 1];
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    if ((b === 0xf0 && c < 0x90) || (b === 0xf4 && c > 0x8f)) return 0;
    return 4;
  }
  return 0;
}

const hex = (b) => b.toString(16).toUpperCase().padStart(2, "0");

/** "byte-level BPE" | "WordPiece" | ...: what readablePiece() needs to know. */
export function readablePiece(piece, kind = "byte-level BPE") {
  if (kind === "byte-level BPE") {
    const bytes = bytesOfPiece(piece);
    if (bytes === null) return piece;
    const decoder = new TextDecoder("utf-8", { fatal: true });
    let out = "", bad = [];
    const flush = () => {
      if (bad.length) out += `<${bad.map(hex).join(" ")}>`;
      bad = [];
    };
    for (let i = 0; i < bytes.length;) {
      const n = charLength(bytes, i);
      if (n === 0) {
        bad.push(bytes[i]);
        i += 1;
      } else {
        flush();
        out += decoder.decode(new Uint8Array(bytes.slice(i, i + n))).replaceAll(" ", "\u2423");
        i += n;
      }
    }
    flush();
    return out;
  }
  if (kind === "WordPiece" && piece.startsWith("##")) return `\u2026${piece.slice(2)}`;
  return piece;
}
