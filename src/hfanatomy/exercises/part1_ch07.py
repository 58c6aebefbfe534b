"""Exercises of Part I, chapter 7 (what comes back): checkers that explain, never raise."""

from __future__ import annotations

from hfanatomy.exercises.feedback import is_dict_of, placeholder, say

#: the calls of the tuple-length exercise (all with return_dict=False)
TUPLE_CASES = {
    "a": "model(**inputs, return_dict=False)",
    "b": "model(**inputs, labels=labels, return_dict=False)",
    "c": "model(**inputs, output_attentions=True, return_dict=False)",
    "d": "model(**inputs, labels=labels, output_hidden_states=True, output_attentions=True, "
         "return_dict=False)",
}
_TUPLE_ANSWERS = {"a": 1, "b": 2, "c": 2, "d": 4}
_TUPLE_WHY = {
    "a": "only logits is set; None fields are dropped by to_tuple()",
    "b": "(loss, logits)",
    "c": "(logits, attentions): no None placeholder for the missing loss or hidden states",
    "d": "(loss, logits, hidden_states, attentions): the maximum, never a cache",
}


def check_tuple_lengths(answers) -> bool:
    """``answers`` maps each call of :data:`TUPLE_CASES` to ``len(...)`` of what it returns."""
    if placeholder(answers, 'a dict like {"a": 1, "b": ..., "c": ..., "d": ...}'):
        return False
    if not is_dict_of(answers, TUPLE_CASES):
        return False
    ok = True
    for key, want in _TUPLE_ANSWERS.items():
        if answers[key] != want:
            say(f"case {key} ({TUPLE_CASES[key]}): not {answers[key]!r}. Which fields does "
                "this call set, and what does to_tuple() do with the ones left at None?")
            ok = False
    if ok:
        say("All right: " + "; ".join(f"{k}: {_TUPLE_ANSWERS[k]} = {_TUPLE_WHY[k]}"
                                       for k in TUPLE_CASES))
    return ok


def check_hidden_states_count(answer, model) -> bool:
    """How many tensors ``outputs.hidden_states`` holds for ``model``."""
    if placeholder(answer, "an int: the number of tensors in outputs.hidden_states"):
        return False
    n = model.config.num_hidden_layers
    if answer == n + 1:
        say(f"Right: {n} layers + 1. hidden_states[0] is the embeddings' output (before any "
            "layer), the last one equals last_hidden_state.")
        return True
    if answer == n:
        say(f"{n} is the number of layers, but hidden_states also holds what goes INTO the "
            "first layer: the embeddings' output.")
    else:
        say(f"Not {answer!r}. Count: one tensor before the first layer, then one after each "
            "layer (model.config.num_hidden_layers).")
    return False


def check_fifth_positional(answer) -> bool:
    """In v5, ``model(ids, mask, None, None, x)``: which parameter receives ``x``?"""
    if placeholder(answer, 'the parameter name as a string, e.g. "position_ids"'):
        return False
    if answer == "inputs_embeds":
        say("Right: v5 removed head_mask from the signature, so the 5th positional slot is "
            "inputs_embeds. Code written for v4 that passed head_mask positionally now sends "
            "it as inputs_embeds. Pass arguments by keyword.")
        return True
    if answer == "head_mask":
        say("That was v4's order (input_ids, attention_mask, token_type_ids, position_ids, "
            "head_mask, ...). Look at the v5 signature printed above.")
    else:
        say(f"Not {answer!r}. Print inspect.signature(model.forward) and count the parameters.")
    return False
