/** Every explorer view by kind (page.js mounts them; the kernel loads one at a time). */
import * as qa_loss from "./qa_loss.js";
import * as span_grid from "./span_grid.js";
import * as tokens from "./tokens.js";
import * as windows from "./windows.js";

export const views = {
  qa_loss,
  span_grid,
  tokens,
  windows,
};
