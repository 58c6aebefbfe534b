/** Every explorer view by kind (page.js mounts them; the kernel loads one at a time). */
import * as logits from "./logits.js";
import * as qa_logits from "./qa_logits.js";
import * as tokens from "./tokens.js";

export const views = {
  logits,
  qa_logits,
  tokens,
};
