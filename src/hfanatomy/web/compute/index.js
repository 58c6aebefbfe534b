/** Every explorer's in-page computation by kind (mirrors the Python explorer's compute()). */
import * as loss from "./loss.js";
import * as positions from "./positions.js";
import * as tokens from "./tokens.js";

export const computes = {
  loss: loss.compute,
  positions: positions.compute,
  tokens: tokens.compute,
};
