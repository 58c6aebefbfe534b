/** Every explorer view by kind (page.js mounts them; the kernel loads one at a time). */
import * as attention from "./attention.js";
import * as layer_steps from "./layer_steps.js";
import * as logits from "./logits.js";
import * as loss from "./loss.js";
import * as modeltree from "./modeltree.js";
import * as positions from "./positions.js";
import * as qa_logits from "./qa_logits.js";
import * as qa_loss from "./qa_loss.js";
import * as returns from "./returns.js";
import * as span_grid from "./span_grid.js";
import * as tokens from "./tokens.js";
import * as windows from "./windows.js";

export const views = {
  attention,
  layer_steps,
  logits,
  loss,
  modeltree,
  positions,
  qa_logits,
  qa_loss,
  returns,
  span_grid,
  tokens,
  windows,
};
