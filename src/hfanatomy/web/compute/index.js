/** Every explorer's in-page computation by kind (mirrors the Python explorer's compute()). */
import * as attention from "./attention.js";
import * as layer_steps from "./layer_steps.js";
import * as logits from "./logits.js";
import * as loss from "./loss.js";
import * as positions from "./positions.js";
import * as qa_logits from "./qa_logits.js";
import * as qa_loss from "./qa_loss.js";
import * as span_grid from "./span_grid.js";
import * as tokens from "./tokens.js";
import * as windows from "./windows.js";

export const computes = {
  attention: attention.compute,
  layer_steps: layer_steps.compute,
  logits: logits.compute,
  loss: loss.compute,
  positions: positions.compute,
  qa_logits: qa_logits.compute,
  qa_loss: qa_loss.compute,
  span_grid: span_grid.compute,
  tokens: tokens.compute,
  windows: windows.compute,
};
