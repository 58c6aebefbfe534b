"""Exercises for Part II, chapter 6 (what comes back): check your answers in a cell.

Each checker prints what is right or off and returns True/False; it never raises
for a wrong answer. Model-dependent truths come from ``hfanatomy.load_qa()`` (or
the ``model=`` you pass).
"""

from __future__ import annotations

from hfanatomy.exercises._models import book_qa
from hfanatomy.exercises.feedback import placeholder

__all__ = ["check_tuple_length", "check_hidden_states_count", "check_decoder_name"]


def check_tuple_length(my_answer) -> bool:
    """len() of the tuple for return_dict=False, both positions given, output_hidden_states=True."""
    if placeholder(my_answer, "an int: the length of the tuple", ellipsis=True):
        return False
    if my_answer == 4:
        print("Right: (loss, start_logits, end_logits, hidden_states); attentions were not "
              "asked for, and None fields are dropped from the tuple.")
        return True
    if my_answer == 5:
        print("No: attentions is None here, and to_tuple() drops None fields.")
    elif my_answer == 3:
        print("No: with both positions given, the loss comes first.")
    else:
        print(f"Not {my_answer!r}: list the fields that are not None.")
    return False


def check_hidden_states_count(my_answer, model=None) -> bool:
    """len(outputs.hidden_states) for the book's QA model."""
    if placeholder(my_answer, "an int: how many tensors hidden_states holds", ellipsis=True):
        return False
    model = model if model is not None else book_qa()[0]
    n = model.config.num_hidden_layers
    if my_answer == n + 1:
        print(f"Right: {n + 1} = the embeddings' output + one per layer ({n} layers).")
        return True
    if my_answer == n:
        print("Off by one: the embedding output comes first, before the layers' outputs.")
    else:
        print(f"Not {my_answer!r}: look at model.config.num_hidden_layers.")
    return False


def check_decoder_name(my_answer) -> bool:
    """The transformers 5 function that still turns start/end logits into scored spans for one window."""
    if placeholder(my_answer, "a string (or the function itself)", ellipsis=True):
        return False
    name = getattr(my_answer, "__name__", my_answer)
    if name in ("select_starts_ends", "decode_spans"):
        print(f"Right: {name} in transformers.pipelines.document_question_answering; "
              "select_starts_ends normalises and masks, decode_spans scores the spans.")
        return True
    print(f"{name!r} is not it: look inside transformers.pipelines.document_question_answering.")
    return False
