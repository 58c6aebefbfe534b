"""Reproducible training of the embedded tokenizers and models.

``python -m hfanatomy.train tokenizers|classifier|qa|all [--steps N] [--out DIR]``
regenerates every shipped file under ``hfanatomy/embedded`` from a fixed seed. The BPE
tokenizer and the classifier come out bit for bit the same; the WordPiece tokenizer may
differ in a few tokens (its trainer breaks ties in hash-map order, see
``tokenizer.train_wordpiece``), and so the QA model retrained on it differs too: compare
its card's held-out scores, not its bytes.

Modules: ``data`` (synthetic sentiment and QA data, tokenizer corpus), ``tokenizer``
(byte-level BPE and WordPiece), ``typed`` (the questions a learner types first, about
people no training item names), ``features`` (QA windows, labels, attention-supervision
targets), ``classifier`` (RobertaForSequenceClassification), ``qa``
(BertForQuestionAnswering training), ``evaluate`` (held-out scores with either decoder,
common-name pairs and typed questions, examples for the book), ``common`` (seeding,
saving, cards). Dependencies run one way: data <- typed, features <- evaluate <- qa.
"""
