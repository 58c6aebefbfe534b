"""hfanatomy.source: anchors the chapters rely on exist in the pinned transformers; views are honest."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import transformers
from transformers.models.bert import modeling_bert
from transformers.models.roberta import modeling_roberta

from hfanatomy.source import (
    AnchorNotFound,
    generated_from,
    modular_path,
    show_source,
    source_location,
)

R = "transformers.models.roberta.modeling_roberta."
DQA = "transformers.pipelines.document_question_answering."

# (object, start, end, strings that must be inside the view) for every place the chapters show
KEY_PLACES = [
    (R + "RobertaEmbeddings.forward", "if position_ids is None:", "return embeddings",
     ["create_position_ids_from_input_ids", "self.token_type_ids", "self.LayerNorm(embeddings)"]),
    (R + "RobertaEmbeddings.forward", "if token_type_ids is None:",
     "token_type_ids = buffered_token_type_ids.expand", ["torch.gather"]),
    (R + "RobertaEmbeddings.forward", "inputs_embeds = self.word_embeddings(input_ids)",
     "embeddings = self.dropout(embeddings)", ["embeddings = embeddings + position_embeddings"]),
    (R + "RobertaEmbeddings.create_position_ids_from_input_ids", "mask = input_ids.ne(padding_idx)",
     "return incremental_indices.long() + padding_idx", ["torch.cumsum(mask, dim=1)"]),
    (R + "RobertaEmbeddings.create_position_ids_from_inputs_embeds", "position_ids = torch.arange(",
     "return position_ids", ["padding_idx + 1"]),
    (R + "RobertaClassificationHead.forward", "x = features[:, 0, :]", "return x",
     ["torch.tanh(x)", "self.out_proj(x)"]),
    (R + "RobertaForSequenceClassification.forward", "sequence_output = outputs[0]",
     "logits = self.classifier(sequence_output)", []),
    (R + "RobertaForSequenceClassification.forward", "if self.config.problem_type is None:",
     'self.config.problem_type = "multi_label_classification"',
     ["self.num_labels == 1", "labels.dtype == torch.long or labels.dtype == torch.int"]),
    (R + "RobertaForSequenceClassification.forward", 'if self.config.problem_type == "regression":',
     ["BCEWithLogitsLoss()", "loss = loss_fct(logits, labels)"],  # the 2nd such line
     ["loss_fct(logits.squeeze(), labels.squeeze())", "CrossEntropyLoss()",
      "labels.view(-1)", "BCEWithLogitsLoss()"]),
    (R + "RobertaForSequenceClassification.forward", "return SequenceClassifierOutput(", ")", []),
    (R + "RobertaModel.__init__", "self.pooler", None, ["add_pooling_layer"]),
    ("transformers.models.bert.modeling_bert.BertForQuestionAnswering.forward",
     "logits = self.qa_outputs(sequence_output)", "end_logits = end_logits.squeeze(-1)",
     ["logits.split(1, dim=-1)"]),
    ("transformers.models.bert.modeling_bert.BertForQuestionAnswering.forward",
     "if start_positions is not None and end_positions is not None:",
     "total_loss = (start_loss + end_loss) / 2",
     ["squeeze(-1)", "ignored_index = start_logits.size(1)", "clamp(0, ignored_index)",
      "CrossEntropyLoss(ignore_index=ignored_index)"]),
    ("transformers.models.bert.modeling_bert.BertForQuestionAnswering.__init__",
     "self.qa_outputs", None, ["nn.Linear(config.hidden_size, config.num_labels)"]),
    (DQA + "select_starts_ends", "undesired_tokens = np.abs(np.array(p_mask) - 1)",
     "starts, ends, scores = decode_spans(", ["-10000.0", "start[0, 0] = end[0, 0] = 0.0",
                                              "min_null_score = min(min_null_score"]),
    (DQA + "decode_spans", "outer = np.matmul(", "scores = candidates[0, starts, ends]",
     ["np.tril(np.triu(outer), max_answer_len - 1)", "np.argpartition"]),
]


@pytest.mark.parametrize("obj,start,end,inside", KEY_PLACES)
def test_key_places_are_found_with_real_line_numbers(obj, start, end, inside):
    view = show_source(obj, start, end)
    assert start in view.lines[0].text
    if end is not None:
        assert (end if isinstance(end, str) else end[-1]) in view.lines[-1].text
    for s in inside:
        assert s in view.text, s
    # the numbers are the installed file's own line numbers
    file_lines = Path(view.path).read_text(encoding="utf-8").splitlines()
    for line in view.lines:
        assert file_lines[line.number - 1] == line.text
    assert view.version == transformers.__version__
    assert view.display_path.startswith("transformers/")


def test_whole_object_and_location():
    cls = modeling_roberta.RobertaClassificationHead
    view = show_source(cls)
    path, first = source_location(cls)
    assert view.path == path and view.first_line == first
    assert view.lines[0].text.startswith("class RobertaClassificationHead")
    assert view.text.startswith("class RobertaClassificationHead(nn.Module):")
    # a decorated method: located in its own file, not in the decorator's
    path, first = source_location(modeling_roberta.RobertaForSequenceClassification.forward)
    assert path.endswith("roberta/modeling_roberta.py")
    assert "@can_return_tuple" in Path(path).read_text().splitlines()[first - 1]
    # bound methods and dotted strings resolve to the same thing
    model_fn = show_source(R + "RobertaEmbeddings.forward")
    assert model_fn.first_line == source_location(modeling_roberta.RobertaEmbeddings.forward)[1]


def test_include_end_and_block_and_chains():
    obj = R + "RobertaClassificationHead.forward"
    with_end = show_source(obj, "x = features[:, 0, :]", "x = torch.tanh(x)")
    without = show_source(obj, "x = features[:, 0, :]", "x = torch.tanh(x)", include_end=False)
    assert len(with_end.lines) == len(without.lines) + 1
    assert "tanh" not in without.text
    blk = show_source("transformers.models.bert.modeling_bert.BertForQuestionAnswering.forward",
                      "if start_positions is not None and end_positions is not None:", block=True)
    assert blk.lines[-1].text.strip() == "total_loss = (start_loss + end_loss) / 2"
    # a chained anchor: the second "loss_fct = " after the regression branch
    view = show_source(R + "RobertaForSequenceClassification.forward",
                       ['if self.config.problem_type == "regression":', "loss_fct = "])
    assert "MSELoss" in view.lines[0].text
    view = show_source(R + "RobertaForSequenceClassification.forward",
                       ["single_label_classification", "single_label_classification", "loss_fct"],
                       "loss = ")
    assert "CrossEntropyLoss" in view.lines[0].text and "labels.view(-1)" in view.lines[-1].text


def test_missing_anchor_raises_with_object_and_version():
    obj = "transformers.models.bert.modeling_bert.BertForQuestionAnswering.forward"
    with pytest.raises(AnchorNotFound) as err:
        show_source(obj, "logits.split(1, dim=1)")
    msg = str(err.value)
    assert "logits.split(1, dim=1)" in msg and "BertForQuestionAnswering.forward" in msg
    assert f"transformers {transformers.__version__}" in msg
    assert "logits.split(1, dim=-1)" in msg  # the closest line is suggested
    assert isinstance(err.value, ValueError)
    with pytest.raises(AnchorNotFound, match="end anchor 'no such line'"):
        show_source(obj, "total_loss = None", "no such line")
    # the end is searched after the start line only
    with pytest.raises(AnchorNotFound, match="end anchor"):
        show_source(R + "RobertaClassificationHead.forward", "return x", "x = ")
    with pytest.raises(AnchorNotFound, match="highlight 'nothing like this'"):
        show_source(obj, highlight=["nothing like this"])
    with pytest.raises(ValueError, match="did you mean forward"):
        show_source("transformers.models.bert.modeling_bert.BertForQuestionAnswering.forwrd")
    with pytest.raises(TypeError, match="cannot show the source"):
        show_source(len)


def test_html_is_self_contained_and_numbered():
    view = show_source("transformers.models.bert.modeling_bert.BertForQuestionAnswering.forward",
                       "logits = self.qa_outputs(sequence_output)", "total_loss = (start_loss",
                       highlight=["split(1, dim=-1)", ".clamp("], title="Where the loss is made")
    html = view._repr_html_()
    assert "http" not in html and "<link" not in html and "class=\"highlight\"" not in html
    assert not re.search(r"(href|src)=", html) and "url(" not in html
    assert f"transformers {transformers.__version__}" in html
    assert "transformers/models/bert/modeling_bert.py" in html
    assert "Where the loss is made" in html
    numbers = [int(n) for n in re.findall(r'data-line="(\d+)"', html)]
    assert numbers == list(range(view.first_line, view.last_line + 1))
    hl = [int(n) for n in re.findall(r'data-line="(\d+)" data-highlighted="1"', html)]
    assert hl == view.highlighted_lines and len(hl) == 3
    assert view.line_of("split(1, dim=-1)") in hl
    # pygments colours are inline styles
    assert 'style="color:' in html
    # text fallbacks
    assert view._repr_markdown_().startswith("**Where the loss is made**\n\n```python\n")
    assert f"{view.first_line}  logits = self.qa_outputs" in str(view)
    # a source containing a URL in a comment is shown as text, never as a link
    dqa = show_source(DQA + "decode_spans")._repr_html_()
    assert "<a " not in dqa and not re.search(r"(href|src)=", dqa)


def test_generated_from():
    assert generated_from(modeling_roberta) == "src/transformers/models/roberta/modular_roberta.py"
    assert generated_from(R + "RobertaEmbeddings") == generated_from(modeling_roberta)
    assert generated_from(modeling_bert) is None  # BERT's modeling file is written by hand
    path = modular_path(modeling_roberta)
    assert path is not None and path.endswith("roberta/modular_roberta.py")
    assert "class RobertaEmbeddings" in Path(path).read_text()
    assert "generated from modular_roberta.py" in show_source(R + "RobertaEmbeddings").caption
