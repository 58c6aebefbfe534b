/**
 * The position explorer's data in the browser: the same JSON as Python's
 * hfanatomy.explorers.positions.positions_data, from the embedded classifier's tokenizer
 * (no forward pass).
 *
 * The texts are padded as one batch on the chosen side (TextTokenizer.batch), then
 *   RoBERTa: real tokens count from padding_idx + 1, pads stay at padding_idx
 *            (forward.js's positionIds: cumsum(ids != pad) * (ids != pad) + pad);
 *   BERT:    0, 1, ..., L-1 for every row, pads included.
 * Pieces are shown as the token table shows them: byte-level BPE decoded (readablePiece; a
 * space as "Ġ"), any other tokenizer's as they are (WordPiece "##as").
 * A sequence longer than the table allows is kept whole, with a warning.
 */
import { positionIds } from "../forward.js";
import { readablePiece } from "../tokenize.js";

/** The most texts one batch holds (Python: MAX_TEXTS). */
const MAX_TEXTS = 4;

/** (padding_idx, the most tokens a sequence may have), as Python's position_limits. */
function positionLimits(tableSize, paddingIdx, modelMaxLength = null) {
  if (tableSize !== null && tableSize !== undefined) return tableSize - paddingIdx - 1;
  return Number.isInteger(modelMaxLength) && modelMaxLength < 1e6 ? modelMaxLength : null;
}

function checkTexts(texts) {
  if (!Array.isArray(texts)) {
    throw new Error(`texts must be a list of 1 to ${MAX_TEXTS} strings (one per sequence of the batch)`);
  }
  if (texts.length < 1 || texts.length > MAX_TEXTS) {
    throw new Error(`texts must hold 1 to ${MAX_TEXTS} strings; got ${texts.length}.`);
  }
  texts.forEach((t, i) => {
    if (typeof t !== "string") throw new Error(`text ${i} must be a string`);
  });
}

/**
 * The data of positions_data(tokenizer, texts, side, padding_idx, table_size).
 * limits: { padding_idx, table_size, max_tokens } (the explorer's config; by default the
 * embedded model's: its pad id and max_position_embeddings).
 */
function positionsData(tokenizer, texts, side, limits) {
  checkTexts(texts);
  if (side !== "left" && side !== "right") {
    throw new Error(`padding side must be 'left' or 'right'; got ${JSON.stringify(side)}.`);
  }
  const { padding_idx: pad, table_size: tableSize, max_tokens: most } = limits;
  const kind = tokenizer.byteLevel ? "byte-level BPE" : "WordPiece";
  // one symbol for a leading space everywhere, the vocabulary's: "Ġ" (Python: reads_as)
  const shown = (t) => (kind === "byte-level BPE"
    ? readablePiece(t, kind).replace(/\u2423/g, "\u0120") : t);
  const batch = tokenizer.batch(texts, null, { side });
  const L = batch.input_ids[0].length;
  const sequences = [], warnings = [];
  texts.forEach((text, b) => {
    const enc = batch.encodings[b];
    const fill = L - enc.input_ids.length;
    const padded = (row, value) => {
      const extra = new Array(fill).fill(value);
      return side === "left" ? [...extra, ...row] : [...row, ...extra];
    };
    const tokens = padded(enc.tokens, tokenizer.padToken);
    const special = padded(enc.special_tokens_mask, 1);
    const ids = batch.input_ids[b], mask = batch.attention_mask[b];
    const roberta = positionIds(ids, "roberta", pad);
    const n = mask.reduce((a, m) => a + m, 0);
    sequences.push({ text, pieces: tokens.map((t, i) => (special[i] ? t : shown(t))),
      input_ids: ids, attention_mask: mask, roberta, bert: ids.map((_, i) => i), tokens: n });
    if (most !== null && most !== undefined && n > most) {
      if (tableSize !== null && tableSize !== undefined) {
        warnings.push(`sequence ${b}: ${n} tokens, but the position table has ${tableSize} rows `
          + `(0..${tableSize - 1}), so the model reads at most ${most} tokens: rows `
          + `${tableSize}..${Math.max(...roberta)} do not exist (marked red). Cut the text `
          + "(truncation=True) before the model sees it.");
      } else {
        warnings.push(`sequence ${b}: ${n} tokens, more than the ${most} the model reads; `
          + "cut the text (truncation=True) before the model sees it.");
      }
    }
  });
  return { padding_side: side, padding_idx: pad, table_size: tableSize ?? null,
    max_tokens: most ?? null, length: L, sequences, warnings };
}

/** compute(state, ctx): the explorer's data for state { texts, padding_side }. */
export async function compute(state, ctx) {
  const model = ctx.model("classifier");
  const config = ctx.config ?? {};
  const pad = config.padding_idx ?? model.config.pad_token_id;
  const tableSize = "table_size" in config ? config.table_size : model.config.max_position_embeddings;
  const most = "max_tokens" in config ? config.max_tokens : positionLimits(tableSize, pad);
  return positionsData(model.tokenizer, state.texts, state.padding_side ?? "right",
    { padding_idx: pad, table_size: tableSize, max_tokens: most });
}
