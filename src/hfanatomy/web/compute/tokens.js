/**
 * The token table in the page: hfanatomy.explorers.tokens.TokenExplorer.compute, step for
 * step. The state is token_table's arguments: text (a string or a list of texts),
 * text_pair, padding, padding_side, truncation ("only_second"), max_length.
 */
import { codePointIndex, readablePiece } from "../tokenize.js";

/** One encoding (TextTokenizer.encode) cut to maxLength by dropping the pair's last tokens. */
function truncateSecond(enc, maxLength) {
  const extra = enc.input_ids.length - maxLength;
  if (extra <= 0) return enc;
  const second = enc.sequence_ids.map((s, i) => (s === 1 ? i : -1)).filter((i) => i >= 0);
  if (second.length <= extra) {
    throw new RangeError(`max_length ${maxLength} leaves no room for the second text`);
  }
  const drop = new Set(second.slice(second.length - extra));
  const out = {};
  for (const [key, values] of Object.entries(enc)) out[key] = values.filter((_, i) => !drop.has(i));
  return out;
}

/** Python's offsets: code point indices into the row's own text (null for added tokens). */
function row(enc, i, texts, kind, maps) {
  const special = enc.special_tokens_mask[i] === 1;
  const seq = enc.sequence_ids[i];
  const word = enc.word_ids[i];
  const [a, b] = enc.offsets[i];
  const noSpan = special || (a === 0 && b === 0 && word === null);
  const text = seq === null || seq === undefined ? null : texts[seq];
  const start = noSpan ? null : maps[seq][a], end = noSpan ? null : maps[seq][b];
  // Python's reads_as: byte-level BPE decoded (a space as "Ġ"); any other tokenizer's piece
  // as it is ("##as", as convert_ids_to_tokens writes it)
  const reads = kind !== "byte-level BPE" || special ? enc.tokens[i]
    : readablePiece(enc.tokens[i], kind).replace(/\u2423/g, "\u0120");
  return { index: i, piece: enc.tokens[i], reads, id: enc.input_ids[i],
    mask: enc.attention_mask[i], type: null, start, end,
    covers: noSpan || text === null ? null : text.slice(a, b), special, word,
    seq: seq ?? null };
}

export async function compute(state, ctx) {
  const { config } = ctx;
  const tok = ctx.model(config.needs).tokenizer;
  const many = Array.isArray(state.text);
  const texts = many ? state.text : [state.text ?? ""];
  let pairs = state.text_pair ?? null;
  if (pairs !== null && Array.isArray(pairs) !== many) {
    throw new TypeError("text and text_pair must both be strings or both be lists of strings.");
  }
  if (pairs !== null && !many) pairs = pairs === "" ? null : [pairs];
  if (pairs !== null && pairs.length !== texts.length) {
    throw new RangeError(`text has ${texts.length} items but text_pair has ${pairs.length}.`);
  }
  let encs = texts.map((t, b) => tok.encode(t, pairs ? pairs[b] : null));
  if (state.truncation === "only_second" && state.max_length) {
    encs = encs.map((e) => truncateSecond(e, state.max_length));
  }
  const L = Math.max(...encs.map((e) => e.input_ids.length));
  const padded = state.padding && encs.some((e) => e.input_ids.length < L);
  const sequences = encs.map((enc, b) => {
    const own = [texts[b], pairs ? pairs[b] : null];
    const maps = own.map((t) => (t === null ? null : codePointIndex(t)));
    const rows = enc.input_ids.map((_, i) => row(enc, i, own, config.tokenizer, maps));
    if (tok.withTypeIds) rows.forEach((r, i) => { r.type = enc.token_type_ids[i]; });
    if (!padded || rows.length === L) return rows;
    const pads = Array.from({ length: L - rows.length }, () => ({
      index: 0, piece: tok.padToken, reads: tok.padToken, id: tok.padId, mask: 0,
      type: tok.withTypeIds ? 0 : null, start: null, end: null, covers: null, special: true,
      word: null, seq: null }));
    const all = state.padding_side === "left" ? [...pads, ...rows] : [...rows, ...pads];
    all.forEach((r, i) => { r.index = i; });
    return all;
  });
  const warnings = [];
  if (config.max_positions) {
    sequences.forEach((rows, b) => {
      if (rows.length > config.max_positions) {
        warnings.push(`sequence ${b}: ${rows.length} tokens, more than the model's `
          + `${config.max_positions} positions (a model call needs truncation=True)`);
      }
    });
  }
  return { has_token_types: tok.withTypeIds, sequences, warnings };
}
