"""Reproducible training of the embedded tokenizers and models.

``python -m hfanatomy.train tokenizers|classifier|qa|all [--steps N] [--out DIR]``
regenerates every shipped file under ``hfanatomy/embedded`` from a fixed seed.

Modules: ``data`` (synthetic sentiment and QA data, tokenizer corpus, held-out
examples for the book), ``tokenizers`` (byte-level BPE and WordPiece),
``classifier`` (RobertaForSequenceClassification), ``qa`` (MLM pretraining then
BertForQuestionAnswering fine-tuning), ``common`` (seeding, saving, cards).
"""
