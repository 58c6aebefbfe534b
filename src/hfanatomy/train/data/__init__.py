"""Synthetic but linguistically real data for the embedded models.

Sentiment (the classifier): English and Korean reviews with plain praise or
complaint, negation ("was not good", "좋지 않았어요") and contrast where the
clause after "but" / "-지만" decides ("The acting was great, but the plot was
dull."). Every item carries its ``group`` (plain, negation, contrast, korean) so
scores are reported per group.

Extractive QA (the QA model): contexts listing facts about several people
(where they live, where they work, what they do, what they own, when they were
born), questions about one of them, some unanswerable (SQuAD 2 style: the gold
answer is the [CLS] token), some contexts longer than one 384-token window, in
English and Korean.

Splits are deterministic: an item belongs to the held-out split when a hash of
its text says so, so the same sentence can never be in both splits, whatever
the seed. QA names and values are split too (``Pool``): held-out QA items ask about
people, places and things that no training item mentions. Evaluation and the book's
examples live in ``evaluate``.

The generators live in four modules, one per concern: ``text`` (the hash split, labels,
Korean particles), ``sentiment``, ``corpus`` and ``qa``; this package re-exports their
names, so ``from hfanatomy.train import data`` and ``data.qa_item`` read as before.
"""

from hfanatomy.train.data.corpus import (  # noqa: F401
    STDLIB_SKIP,
    stdlib_docstrings,
)
from hfanatomy.train.data.qa import (  # noqa: F401
    ATTRIBUTES,
    EN_CITIES,
    EN_CITY_FORMS,
    EN_CO_A,
    EN_CO_B,
    EN_CODAS,
    EN_COLORS,
    EN_FILLER,
    EN_JOB_FORMS,
    EN_JOBS,
    EN_NAMES,
    EN_OBJECTS,
    EN_ONSETS,
    EN_QUESTIONS,
    EN_SURNAMES,
    EN_TEMPLATES,
    EN_VOWELS,
    KO_CITIES,
    KO_CO_A,
    KO_CO_B,
    KO_COLORS,
    KO_FILLER,
    KO_JOB_FORMS,
    KO_JOBS,
    KO_NAME_SYLLABLES,
    KO_OBJECTS,
    KO_QUESTIONS,
    KO_SURNAMES,
    KO_TEMPLATES,
    Pool,
    QAItem,
    _all_syllables,
    _en_person,
    _ko_person,
    _render,
    annotated_item,
    common_name_pairs,
    ks_x_1001_hangul,
    qa_corpus,
    qa_data,
    qa_item,
)
from hfanatomy.train.data.sentiment import (  # noqa: F401
    EN_ENDS,
    EN_INTENS,
    EN_NEG,
    EN_NEG_PAST,
    EN_NEG_VERBS,
    EN_OPENERS,
    EN_POS,
    EN_POS_PAST,
    EN_POS_VERBS,
    EN_THINGS,
    GROUP_WEIGHTS,
    GROUPS,
    KO_INTENS,
    KO_OPENERS,
    KO_PRED,
    KO_THINGS,
    SentimentItem,
    _cap,
    _en_any_clause,
    _en_clause,
    _en_contrast,
    _en_negated,
    _en_plain,
    _en_sentence,
    _en_verb_contrast,
    _ko_but,
    _ko_clause,
    _ko_sentence,
    _ko_style,
    sentiment_data,
    sentiment_item,
)
from hfanatomy.train.data.text import (  # noqa: F401
    HELD_OUT_PERCENT,
    LABELS,
    _has_batchim,
    fill_distinct,
    is_held_out,
    obj,
    subject,
    topic,
)
