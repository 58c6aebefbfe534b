/** Every explorer view by kind (page.js mounts them; the kernel loads one at a time). */
import * as attention from "./attention.js";
import * as tokens from "./tokens.js";

export const views = {
  attention,
  tokens,
};
