/** Every explorer's in-page computation by kind (mirrors the Python explorer's compute()). */
import * as attention from "./attention.js";
import * as tokens from "./tokens.js";

export const computes = {
  attention: attention.compute,
  tokens: tokens.compute,
};
