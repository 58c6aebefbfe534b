/** Every explorer view by kind (page.js mounts them; the kernel loads one at a time). */
import * as loss from "./loss.js";
import * as positions from "./positions.js";
import * as qa_loss from "./qa_loss.js";
import * as tokens from "./tokens.js";
import * as windows from "./windows.js";

export const views = {
  loss,
  positions,
  qa_loss,
  tokens,
  windows,
};
