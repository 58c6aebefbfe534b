/** Every explorer's in-page computation by kind (mirrors the Python explorer's compute()). */
import * as logits from "./logits.js";
import * as qa_logits from "./qa_logits.js";
import * as tokens from "./tokens.js";

export const computes = {
  logits: logits.compute,
  qa_logits: qa_logits.compute,
  tokens: tokens.compute,
};
