/** Every explorer's in-page computation by kind (mirrors the Python explorer's compute()). */
import * as span_grid from "./span_grid.js";
import * as tokens from "./tokens.js";

export const computes = {
  span_grid: span_grid.compute,
  tokens: tokens.compute,
};
