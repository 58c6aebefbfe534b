"""Exercises of Part I, chapter 5 (the classification head): checkers that explain.

Every checker prints a message and returns True/False; none raises on a wrong answer.
"""

from __future__ import annotations

import torch

from hfanatomy.exercises.feedback import placeholder, say


def check_head_position(answer) -> bool:
    """Which position of the (B, L, H) sequence output does RobertaClassificationHead read?"""
    if placeholder(answer, "the index of the position the head reads (an int)"):
        return False
    if isinstance(answer, bool) or not isinstance(answer, int):
        say(f"Expected a single int (a position along the sequence axis); got {answer!r}.")
        return False
    if answer == 0:
        say("Right: features[:, 0, :] keeps position 0, the <s> token. The other L - 1 vectors "
            "never reach the head, which is why overwriting them left the logits unchanged.")
        return True
    if answer == -1:
        say("Not the last token: that is what decoder-style classifiers (GPT-2, Llama) read. "
            "Look at the first line of RobertaClassificationHead.forward again.")
    else:
        say(f"Position {answer} is not it. The head slices features[:, ?, :]; look at the "
            "source shown above, or repeat the overwrite experiment with that position kept.")
    return False


def check_probabilities(my_probs, logits: torch.Tensor) -> bool:
    """Softmax of ``logits`` (B, C) computed by hand (exp, then divide by the row sum)."""
    if placeholder(my_probs, "a (B, C) tensor: exp of the logits divided by each row's sum"):
        return False
    if not isinstance(my_probs, torch.Tensor):
        say(f"Expected a torch.Tensor; got {type(my_probs).__name__}.")
        return False
    want = torch.softmax(logits.float(), dim=-1)
    if my_probs.shape != want.shape:
        say(f"Expected shape {tuple(want.shape)} (one probability per example and label); got "
            f"{tuple(my_probs.shape)}. Did you sum over the wrong axis (dim=0 is the batch)?")
        return False
    my_probs = my_probs.float()
    if torch.allclose(my_probs, want, atol=1e-5):
        say("Right: every row now sums to 1 and keeps the order of the logits.")
        return True
    if torch.allclose(my_probs, torch.sigmoid(logits.float()), atol=1e-5):
        say("That is sigmoid, one label at a time (multi-label reading). For single-label "
            "classification the labels compete: divide exp(logits) by the row's sum.")
    elif torch.allclose(my_probs, torch.softmax(logits.float(), dim=0), atol=1e-5):
        say("You normalised over the batch (dim=0). Normalise over the labels: dim=-1.")
    elif not torch.allclose(my_probs.sum(-1), torch.ones(my_probs.shape[0]), atol=1e-4):
        say(f"Rows sum to {my_probs.sum(-1).tolist()}, not 1: divide each exp by its row's sum.")
    else:
        say("Rows sum to 1 but the values differ from softmax: exponentiate the logits "
            "themselves (not their absolute values or ranks).")
    return False


def check_multilabel_prediction(my_labels, logits: torch.Tensor, id2label) -> bool:
    """Which labels a multi-label reading (sigmoid >= 0.5) predicts for one example's logits."""
    if placeholder(my_labels, "a list of label names, e.g. ['positive']"):
        return False
    logits = logits.reshape(-1)
    names = [id2label[i] for i in range(logits.shape[0])]
    want = [n for n, z in zip(names, logits.tolist()) if torch.sigmoid(torch.tensor(z)) >= 0.5]
    if isinstance(my_labels, str):
        my_labels = [my_labels]
    try:
        got = list(my_labels)
    except TypeError:
        say(f"Expected a list of label names; got {my_labels!r}.")
        return False
    unknown = [x for x in got if x not in names]
    if unknown:
        say(f"{unknown} are not label names of this model; the names are {names}.")
        return False
    if sorted(got) == sorted(want):
        say(f"Right: {want or 'no label'}. sigmoid(z) >= 0.5 exactly when z >= 0, so a "
            "multi-label reading predicts every label with a non-negative logit, any number "
            "of them (even none).")
        return True
    say(f"Not quite: you chose {got}. With sigmoid each label is judged alone, not against "
        "the others, so the largest logit is not the point: compute torch.sigmoid of each "
        "logit and keep every label at 0.5 or more. (Which z gives sigmoid(z) = 0.5?)")
    return False
