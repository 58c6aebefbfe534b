/** Every explorer's in-page computation by kind (mirrors the Python explorer's compute()). */
import * as tokens from "./tokens.js";

export const computes = {
  tokens: tokens.compute,
};
