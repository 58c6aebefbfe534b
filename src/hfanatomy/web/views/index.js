/** Every explorer view by kind (page.js mounts them; the kernel loads one at a time). */
import * as span_grid from "./span_grid.js";
import * as tokens from "./tokens.js";

export const views = {
  span_grid,
  tokens,
};
