/**
 * The small rules of a QA span grid, in one place for the decoder (qa.js) and the span-grid
 * view (views/span_grid.js): why a cell (start i, end j) is masked, in code and in words,
 * and the score of a cell.
 *
 * The codes and words are Python's hfanatomy.qa (VALID ... TOO_LONG, MASK_REASONS); the
 * first reason that applies wins, in code order. This module imports nothing, so every
 * layer of web/ may import it (ARCHITECTURE.md).
 */

/** Codes of maskReason (hfanatomy.qa.mask_reasons). */
export const VALID = 0, OUTSIDE_CONTEXT = 1, END_BEFORE_START = 2, TOO_LONG = 3;

/** What each code means, indexed by code (hfanatomy.qa.MASK_REASONS). */
export const REASONS = ["a valid span", "masked: start or end is not a context token",
  "masked: end before start", "masked: longer than max_answer_len"];

/** Why cell (start i, end j) is masked; mask[t]: token t may be part of an answer. */
export function maskReason(mask, maxAnswerLen, i, j) {
  if (!(mask[i] && mask[j])) return OUTSIDE_CONTEXT;
  if (j < i) return END_BEFORE_START;
  if (j - i >= maxAnswerLen) return TOO_LONG;
  return VALID;
}

/** A cell's score: p_start[i] * p_end[j] in float32 for a valid cell, 0 for a masked one. */
export function cellScore(pStart, pEnd, mask, maxAnswerLen, i, j) {
  return maskReason(mask, maxAnswerLen, i, j) === VALID ? Math.fround(pStart[i] * pEnd[j]) : 0;
}
