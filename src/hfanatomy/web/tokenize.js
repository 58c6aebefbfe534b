/**
 * Text -> model inputs in the browser, equal to the Python tokenizer of an embedded model.
 *
 * The vendored tokenizers.js splits each text into tokens and ids. It gives neither
 * character offsets nor token type ids, so this module adds them:
 *   - the special tokens and token type ids come from the post-processor in tokenizer.json
 *     (RobertaProcessing: <s> A </s> [</s> B </s>], all type 0; TemplateProcessing: as
 *     written, e.g. [CLS] A [SEP] B [SEP] with B's type 1);
 *   - offsets align each token with the text it came from. Byte-level BPE tokens are runs of
 *     the text's UTF-8 bytes; WordPiece tokens are runs of the normalized text (BERT's
 *     clean-up, lowercasing, spaces around CJK characters), each normalized character
 *     remembering the character it came from.
 * Offsets are [start, end) in JS string indices (UTF-16 code units, so text.slice(start, end)
 * is the token's text); special tokens get [0, 0], as in Python.
 */
import { Tokenizer } from "./vendor/tokenizers.mjs";

const PUNCT = /^[!-/:-@[-`{-~]$|^\p{P}$/u;
const CONTROL = /^\p{C}$/u;
const SPACE = /^\s$/u;
const CJK = [[0x4e00, 0x9fff], [0x3400, 0x4dbf], [0x20000, 0x2a6df], [0x2a700, 0x2b73f],
  [0x2b740, 0x2b81f], [0x2b920, 0x2ceaf], [0xf900, 0xfaff], [0x2f800, 0x2fa1f]];

/** The byte each byte-level character stands for (GPT-2's bytes_to_unicode, inverted). */
const BYTE_OF = (() => {
  const printable = [];
  for (let b = 33; b <= 126; b++) printable.push(b);
  for (let b = 161; b <= 172; b++) printable.push(b);
  for (let b = 174; b <= 255; b++) printable.push(b);
  const map = new Map();
  let extra = 0;
  for (let b = 0; b < 256; b++) {
    const shown = printable.includes(b) ? b : 256 + extra++;
    map.set(String.fromCodePoint(shown), b);
  }
  return map;
})();

/** For each UTF-8 byte of text: [byte, start, end] of the character it belongs to. */
function textBytes(text) {
  const out = [];
  const utf8 = new TextEncoder();
  let i = 0;
  for (const ch of text) {
    for (const byte of utf8.encode(ch)) out.push([byte, i, i + ch.length]);
    i += ch.length;
  }
  return out;
}

/** Offsets of byte-level BPE tokens; trim drops a token's leading/trailing spaces (Ġ). */
function byteLevelOffsets(text, tokens, added, trim = true) {
  const bytes = textBytes(text);
  const utf8 = new TextEncoder();
  let cursor = 0;
  return tokens.map((token) => {
    const own = added.has(token) ? Array.from(utf8.encode(token))
      : Array.from(token, (c) => BYTE_OF.get(c));
    while (cursor < bytes.length && bytes[cursor][0] !== own[0]) cursor++;  // dropped by the tokenizer
    if (cursor >= bytes.length) return [text.length, text.length];
    const last = Math.min(cursor + own.length, bytes.length) - 1;
    let start = bytes[cursor][1], end = bytes[last][2];
    cursor = last + 1;
    if (trim && !added.has(token)) {
      const lead = token.length - token.replace(/^\u0120+/, "").length;
      const tail = token.length - token.replace(/\u0120+$/, "").length;
      start = Math.min(start + lead, end);
      end = Math.max(end - tail, start);
    }
    return [start, end];
  });
}

/** BERT's normalized text, one entry per character: [char, start, end] in the original. */
function bertNormalized(text, lowercase) {
  const out = [];
  let i = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0), end = i + ch.length;
    if (!(cp === 0 || cp === 0xfffd || (CONTROL.test(ch) && !"\t\n\r".includes(ch)))) {
      let norm = SPACE.test(ch) ? " " : ch;
      if (CJK.some(([a, b]) => cp >= a && cp <= b)) norm = ` ${norm} `;
      if (lowercase) norm = norm.toLowerCase();
      for (const c of norm) out.push([c, i, end]);
    }
    i = end;
  }
  return out;
}

/** Offsets of WordPiece tokens ("##" marks a continuation; [UNK] covers a whole word). */
function wordPieceOffsets(text, tokens, added, { lowercase = true, unk = "[UNK]",
  prefix = "##" } = {}) {
  const chars = bertNormalized(text, lowercase);
  let pos = 0;
  return tokens.map((token) => {
    while (pos < chars.length && chars[pos][0] === " ") pos++;
    if (pos >= chars.length) return [text.length, text.length];
    const start = pos;
    const literal = added.has(token) && chars.slice(pos, pos + token.length).map((c) => c[0])
      .join("") === (lowercase ? token.toLowerCase() : token);  // e.g. "[SEP]" typed in the text
    if (token === unk && !literal) {  // one pre-token: a punctuation mark, or a run up to one
      if (PUNCT.test(chars[pos][0])) pos++;
      else while (pos < chars.length && chars[pos][0] !== " " && !PUNCT.test(chars[pos][0])) pos++;
    } else {
      let piece = token.startsWith(prefix) && token.length > prefix.length && !added.has(token)
        ? token.slice(prefix.length) : token;
      if (added.has(token) && lowercase) piece = piece.toLowerCase();
      pos += Array.from(piece).length;
    }
    return [chars[start][1], chars[Math.min(pos, chars.length) - 1][2]];
  });
}

/** The post-processor as { single, pair }: lists of {special: [token, id]} or {seq: 0|1}, with type ids. */
function template(post, idOf) {
  if (post?.type === "RobertaProcessing" || post?.type === "BertProcessing") {
    const [cls, sep] = [post.cls, post.sep];
    const special = (t) => ({ special: t, type: 0 });
    const pairType = post.type === "BertProcessing" ? 1 : 0;
    const second = post.type === "RobertaProcessing" ? [special(sep)] : [];
    return {
      single: [special(cls), { seq: 0, type: 0 }, special(sep)],
      pair: [special(cls), { seq: 0, type: 0 }, special(sep), ...second,
        { seq: 1, type: pairType }, { special: sep, type: pairType }],
    };
  }
  if (post?.type === "TemplateProcessing") {
    const item = (p) => (p.SpecialToken
      ? { special: [p.SpecialToken.id, idOf(p.SpecialToken.id)], type: p.SpecialToken.type_id }
      : { seq: p.Sequence.id === "A" ? 0 : 1, type: p.Sequence.type_id });
    return { single: post.single.map(item), pair: post.pair.map(item) };
  }
  throw new Error(`post-processor ${post?.type} is not supported`);
}

/** A tokenizer.json (+ tokenizer_config.json) that encodes like transformers' tokenizer. */
export class TextTokenizer {
  constructor(tokenizerJson, tokenizerConfig = {}) {
    this.inner = new Tokenizer(tokenizerJson, tokenizerConfig);
    this.added = new Set(tokenizerJson.added_tokens.map((t) => t.content));
    this.model = tokenizerJson.model;
    this.byteLevel = JSON.stringify(tokenizerJson.pre_tokenizer ?? {}).includes("ByteLevel");
    this.trimOffsets = tokenizerJson.post_processor?.trim_offsets ?? false;
    this.lowercase = tokenizerJson.normalizer?.lowercase ?? false;
    const idOf = (t) => this.inner.encode(t, { add_special_tokens: false }).ids[0];
    this.template = template(tokenizerJson.post_processor, idOf);
    this.padToken = tokenizerConfig.pad_token;
    this.padId = idOf(this.padToken);
    this.withTypeIds = this.template.pair.some((p) => p.type !== 0);
  }

  /** Tokens, ids, offsets and word ids of one text, without special tokens. */
  pieces(text) {
    const { tokens, ids } = text ? this.inner.encode(text, { add_special_tokens: false })
      : { tokens: [], ids: [] };
    const offsets = this.byteLevel
      ? byteLevelOffsets(text, tokens, this.added, this.trimOffsets)
      : wordPieceOffsets(text, tokens, this.added, { lowercase: this.lowercase,
        unk: this.model.unk_token, prefix: this.model.continuing_subword_prefix ?? "##" });
    const words = text ? this.wordIds(text) : [];
    return { tokens, ids, offsets, words: words.length === ids.length ? words : ids.map(() => null) };
  }

  /**
   * The word (pre-tokenizer split) each token of `text` comes from, counted from 0 as
   * transformers' word_ids(): the text is cut at added tokens (each one a word), normalized,
   * pre-tokenized, and each word's tokens share its number.
   */
  wordIds(text) {
    const inner = this.inner, out = [];
    let word = 0;
    for (const section of inner.splitter_unnormalized.split(text)) {
      if (!section) continue;
      if (inner.added_tokens_map.has(section)) {
        out.push(word++);
        continue;
      }
      const normalized = inner.normalizer ? inner.normalizer(section) : section;
      for (const sub of inner.splitter_normalized.split(normalized)) {
        if (!sub) continue;
        const words = inner.added_tokens_map.has(sub) ? [null]
          : (inner.pre_tokenizer ? inner.pre_tokenizer(sub) : [sub]);
        for (const w of words) {
          const count = w === null ? 1 : inner.model([w]).length;
          for (let i = 0; i < count; i++) out.push(word);
          word++;
        }
      }
    }
    return out;
  }

  /**
   * One text, or a (text, pair) pair, as the model sees it: { input_ids, tokens, offsets,
   * token_type_ids, attention_mask, sequence_ids and word_ids (null for special tokens),
   * special_tokens_mask }. An empty pair ("") means no pair, as in transformers.
   */
  encode(text, pair = null) {
    const seqs = !pair ? [this.pieces(text)]
      : [this.pieces(text), this.pieces(pair)];
    return this.assemble(seqs);
  }

  /**
   * The post-processor's template filled with already-cut sequences (each { tokens, ids,
   * offsets, words }): what encode() returns. The QA windows pass slices of the context.
   */
  assemble(seqs) {
    const out = { input_ids: [], tokens: [], offsets: [], token_type_ids: [], sequence_ids: [],
      word_ids: [], special_tokens_mask: [] };
    for (const part of seqs.length === 1 ? this.template.single : this.template.pair) {
      if (part.special) {
        out.tokens.push(part.special[0]);
        out.input_ids.push(part.special[1]);
        out.offsets.push([0, 0]);
        out.token_type_ids.push(part.type);
        out.sequence_ids.push(null);
        out.word_ids.push(null);
        out.special_tokens_mask.push(1);
      } else {
        const s = seqs[part.seq];
        out.tokens.push(...s.tokens);
        out.input_ids.push(...s.ids);
        out.offsets.push(...s.offsets);
        out.word_ids.push(...s.words);
        for (let i = 0; i < s.ids.length; i++) {
          out.token_type_ids.push(part.type);
          out.sequence_ids.push(part.seq);
          out.special_tokens_mask.push(0);
        }
      }
    }
    out.attention_mask = out.input_ids.map(() => 1);
    return out;
  }

  /**
   * text (and pair, unless null) as the model sees it, cut to at most `limit` tokens as
   * transformers' truncation=True does: special tokens kept, the longer text losing tokens
   * first (longest_first). { encoding, length }: length is the count before the cut.
   * limit null: no cut.
   */
  truncated(text, pair = null, limit = null) {
    const seqs = pair == null ? [this.pieces(text)] : [this.pieces(text), this.pieces(pair)];
    const full = this.assemble(seqs);
    const length = full.input_ids.length;
    if (limit == null || length <= limit) return { encoding: full, length };
    const budget = Math.max(0, limit - (length - seqs.reduce((n, q) => n + q.ids.length, 0)));
    const keep = seqs.length === 1 ? [budget]
      : longestFirst(seqs[0].ids.length, seqs[1].ids.length, budget);
    const cut = seqs.map((q, i) => ({ tokens: q.tokens.slice(0, keep[i]), ids: q.ids.slice(0, keep[i]),
      offsets: q.offsets.slice(0, keep[i]), words: q.words.slice(0, keep[i]) }));
    return { encoding: this.assemble(cut), length };
  }

  /**
   * Several texts (pairs: an array of the same length, or null) padded to the longest:
   * { input_ids, attention_mask, token_type_ids? } as (B, L) arrays, plus each row's encoding.
   * side: "right" (the default) or "left".
   */
  batch(texts, pairs = null, { side = "right" } = {}) {
    const encodings = texts.map((t, i) => this.encode(t, pairs ? pairs[i] : null));
    const L = Math.max(...encodings.map((e) => e.input_ids.length));
    const pad = (row, value) => {
      const fill = new Array(L - row.length).fill(value);
      return side === "left" ? [...fill, ...row] : [...row, ...fill];
    };
    const out = {
      input_ids: encodings.map((e) => pad(e.input_ids, this.padId)),
      attention_mask: encodings.map((e) => pad(e.attention_mask, 0)),
      encodings,
    };
    if (this.withTypeIds) out.token_type_ids = encodings.map((e) => pad(e.token_type_ids, 0));
    return out;
  }
}

/**
 * How many tokens of two texts of n1 and n2 tokens survive a budget, as transformers'
 * "longest_first" truncation decides: [kept of the first, kept of the second].
 */
function longestFirst(n1, n2, budget) {
  let a = Math.min(n1, n2), b;
  if (a > budget) b = a;
  else b = Math.max(a, budget - a);
  if (a + b > budget) {
    a = Math.floor(budget / 2);
    b = a + (budget % 2);
  }
  return n1 > n2 ? [b, a] : [a, b];
}

/**
 * A piece as a reader would write it, as hfanatomy.tokens.readable_piece: byte-level BPE
 * "Ġgood" -> "␣good" (the bytes decoded, a space shown as ␣; bytes that cut a character
 * show as "<EA B5>"); other pieces (WordPiece "##ing" included) as they are.
 */
export function readablePiece(piece, kind = "byte-level BPE") {
  if (kind === "byte-level BPE") {
    const bytes = [];
    for (const ch of piece) {
      if (!BYTE_OF.has(ch)) return piece;  // a special token such as <s>
      bytes.push(BYTE_OF.get(ch));
    }
    if (bytes.length === 0) return piece;
    let out = "", bad = [];
    const flush = () => {
      if (bad.length) out += "<" + bad.map((b) => b.toString(16).toUpperCase().padStart(2, "0")).join(" ") + ">";
      bad = [];
    };
    for (let i = 0; i < bytes.length;) {
      const n = utf8Length(bytes, i);
      if (n) {
        flush();
        out += new TextDecoder().decode(new Uint8Array(bytes.slice(i, i + n))).replace(/ /g, "␣");
        i += n;
      } else {
        bad.push(bytes[i]);
        i += 1;
      }
    }
    flush();
    return out;
  }
  return piece;  // WordPiece "##ing" as the tokenizer writes it (every explorer shows ##)
}

/** The length of the valid UTF-8 character starting at bytes[i] (strict, as Python), or 0. */
function utf8Length(bytes, i) {
  const b0 = bytes[i];
  const cont = (k) => i + k < bytes.length && (bytes[i + k] & 0xc0) === 0x80;
  if (b0 < 0x80) return 1;
  if (b0 >= 0xc2 && b0 <= 0xdf) return cont(1) ? 2 : 0;
  if (b0 >= 0xe0 && b0 <= 0xef) {
    const b1 = bytes[i + 1];
    if (!cont(1) || !cont(2)) return 0;
    if ((b0 === 0xe0 && b1 < 0xa0) || (b0 === 0xed && b1 > 0x9f)) return 0;  // overlong, surrogate
    return 3;
  }
  if (b0 >= 0xf0 && b0 <= 0xf4) {
    const b1 = bytes[i + 1];
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    if ((b0 === 0xf0 && b1 < 0x90) || (b0 === 0xf4 && b1 > 0x8f)) return 0;
    return 4;
  }
  return 0;
}

/** UTF-16 index -> code point index in `text` (Python's string indices), for i in 0..length. */
export function codePointIndex(text) {
  const map = new Int32Array(text.length + 1);
  let cp = 0;
  for (let i = 0; i < text.length; i++) {
    map[i] = cp;
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) map[++i] = cp;  // the low half of a pair
    }
    cp++;
  }
  map[text.length] = cp;
  return map;
}
