/**
 * The losses the two heads use, as torch computes them (reduction "mean").
 *
 * crossEntropy: single-label classification and each half of the QA loss; rows whose label
 *   is ignoreIndex count for nothing, the mean is over the other rows, and it is NaN when
 *   every row is ignored (0 / 0), as in torch.
 * bceWithLogits: multi-label classification, on the logits (the stable form
 *   max(x, 0) - x * y + log(1 + exp(-|x|))).
 * mse: regression.
 * qaLoss: BertForQuestionAnswering's loss: positions clamped to [0, L], L ignored, the
 *   average of the start and end cross entropies.
 * Each returns { loss, terms } where terms are the per-row (or per-element) values
 * (NaN for an ignored row).
 */

/** log softmax of one row of logits (array-like) as a plain array. */
export function logSoftmax(row) {
  let max = -Infinity;
  for (const x of row) if (x > max) max = x;
  let sum = 0;
  for (const x of row) sum += Math.exp(x - max);
  const lse = max + Math.log(sum);
  return Array.from(row, (x) => x - lse);
}

/** logits: N rows of C numbers; labels: N class ids. */
export function crossEntropy(logits, labels, { ignoreIndex = -100 } = {}) {
  const terms = logits.map((row, i) => {
    const y = labels[i];
    if (y === ignoreIndex) return NaN;
    if (!Number.isInteger(y) || y < 0 || y >= row.length) {
      throw new RangeError(`label ${y} of row ${i} is not a class id in [0, ${row.length})`);
    }
    return -logSoftmax(row)[y];
  });
  const kept = terms.filter((t, i) => labels[i] !== ignoreIndex);
  const loss = kept.reduce((a, b) => a + b, 0) / kept.length;  // 0 / 0 = NaN when all ignored
  return { loss, terms };
}

/** Numbers, or rows of numbers (arrays or Float32Array), as one flat array. */
function flat(a) {
  return Array.from(a).flatMap((r) => (typeof r === "number" ? [r] : Array.from(r)));
}

/** logits, targets: same shape (N rows of C numbers, or N numbers); targets in [0, 1]. */
export function bceWithLogits(logits, targets) {
  const x = flat(logits), y = flat(targets);
  if (x.length !== y.length) throw new RangeError(`${x.length} logits but ${y.length} targets`);
  const terms = x.map((v, i) => Math.max(v, 0) - v * y[i] + Math.log1p(Math.exp(-Math.abs(v))));
  return { loss: terms.reduce((a, b) => a + b, 0) / terms.length, terms };
}

/** predictions, targets: same shape; mean of the squared differences. */
export function mse(predictions, targets) {
  const x = flat(predictions), y = flat(targets);
  if (x.length !== y.length) throw new RangeError(`${x.length} predictions but ${y.length} targets`);
  const terms = x.map((v, i) => (v - y[i]) ** 2);
  return { loss: terms.reduce((a, b) => a + b, 0) / terms.length, terms };
}

/** start, end: N rows of L logits; gold positions: N numbers (any integer, clamped). */
export function qaLoss(startLogits, endLogits, startPositions, endPositions) {
  const L = startLogits[0].length;
  const clamp = (p) => Math.min(Math.max(p, 0), L);
  const start = crossEntropy(startLogits, startPositions.map(clamp), { ignoreIndex: L });
  const end = crossEntropy(endLogits, endPositions.map(clamp), { ignoreIndex: L });
  return { loss: (start.loss + end.loss) / 2, start, end, ignoreIndex: L };
}
