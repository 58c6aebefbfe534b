"""The browser runtime (src/hfanatomy/web) equals Python, in headless Chromium.

* tokenizers: ids, token type ids, word ids and character offsets equal the Python tokenizers of
  both embedded models on 520 texts each (English, Korean, other scripts, emoji, runs of
  whitespace and punctuation, long texts, the empty text), 200 of them pairs;
* forward: logits, every layer's attentions and hidden states equal torch (float32 from
  the shipped fp16 weights) on 200 inputs per model, in padded batches (right and left);
* losses: cross-entropy (ignore_index, all ignored -> NaN), BCE-with-logits, MSE and the
  QA loss (clamped positions) equal torch;
* the page loads from file:// and from http://127.0.0.1, with no request leaving the page's
  folder and no console error; the vendored tokenizers.js matches its pinned release;
* a Web Worker (startWorker) gives the same results, and the page keeps running while it
  computes a 505-token forward.

Each check batches its inputs into one page evaluation.
"""

from __future__ import annotations

import base64
import copy
import math
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from web_pages import (
    CHROMIUM,
    http_server,
    open_page,
    pairs,
    runtime_page,
    texts,
    utf16_offsets,
)

from hfanatomy import load_classifier, load_qa

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason="/usr/bin/chromium is absent (apt install chromium)")

MODELS = {"classifier": load_classifier, "qa": load_qa}
N_TEXTS, N_PAIRS, N_FORWARD = 320, 200, 200

JS_ENCODE = """([name, inputs]) => globalThis.hfaRuntime.then((rt) => {
  const tok = rt.loadModel(name).tokenizer;
  return inputs.map(([a, b]) => {
    const e = tok.encode(a, b);
    return [e.input_ids, e.token_type_ids, e.offsets, e.sequence_ids, e.word_ids];
  });
})"""

JS_FORWARD = """([name, batches]) => globalThis.hfaRuntime.then((rt) => {
  const model = rt.loadModel(name);
  const b64 = (arrays) => {
    let n = 0; for (const a of arrays) n += a.length;
    const all = new Float32Array(n); let at = 0;
    for (const a of arrays) { all.set(a, at); at += a.length; }
    const u8 = new Uint8Array(all.buffer); let s = "";
    for (let i = 0; i < u8.length; i += 0x8000) s += String.fromCharCode.apply(null, u8.subarray(i, i + 0x8000));
    return btoa(s);
  };
  const logits = [], attentions = [], hidden = [];
  for (const batch of batches) {
    for (const out of model.forward(batch)) {
      logits.push(...(out.logits ? [out.logits] : [out.start_logits, out.end_logits]));
      attentions.push(...out.attentions);
      hidden.push(...out.hidden_states);
    }
  }
  return [b64(logits), b64(attentions), b64(hidden)];
})"""


def floats(b64: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(b64), dtype="<f4")


@pytest.fixture(scope="module")
def assets_page(tmp_path_factory):
    return runtime_page(tmp_path_factory.mktemp("web"))


@pytest.fixture(scope="module")
def page(assets_page, browser):
    page = open_page(browser, assets_page.as_uri())
    yield page
    assert page.errors == []
    left = [u for u in page.requests if not u.startswith(("file:", "blob:", "data:"))]
    assert left == [], left


@pytest.fixture(scope="module", params=list(MODELS))
def loaded(request):
    torch.set_num_threads(1)
    model, tokenizer = MODELS[request.param]()
    return request.param, model, tokenizer


def test_vendored_tokenizers_match_pinned_release():
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import vendor_tokenizers
    finally:
        sys.path.pop(0)
    assert vendor_tokenizers.check() == []
    licence = (ROOT / "src/hfanatomy/web/vendor/LICENSE").read_text(encoding="utf-8")
    assert licence.lstrip().startswith("Apache License") and "Version 2.0" in licence


def test_tokenizer_ids_offsets_type_ids(page, loaded):
    name, _, tokenizer = loaded
    inputs = [(t, None) for t in texts(N_TEXTS)] + [list(p) for p in pairs(N_PAIRS)]
    got = page.evaluate(JS_ENCODE, [name, inputs])
    ids_ok = offsets_ok = types_ok = words_ok = 0
    bad = []
    for (a, b), (ids, types, offsets, seq_ids, words) in zip(inputs, got):
        enc = tokenizer(a, b, return_offsets_mapping=True, return_token_type_ids=True)
        ids_ok += ids == enc["input_ids"]
        types_ok += types == enc["token_type_ids"]
        want = [utf16_offsets(b if s == 1 else a, [o])[0] if s is not None else [0, 0]
                for s, o in zip(enc.sequence_ids(), enc["offset_mapping"])]
        offsets_ok += offsets == want and seq_ids == enc.sequence_ids()
        words_ok += words == enc.word_ids()
        if ids != enc["input_ids"] or offsets != want or types != enc["token_type_ids"] \
                or words != enc.word_ids():
            bad.append((a, b))
    n = len(inputs)
    print(f"{name}: ids {ids_ok}/{n}, offsets {offsets_ok}/{n}, type ids {types_ok}/{n}, "
          f"word ids {words_ok}/{n}")
    assert n >= 500 and sum(b is not None for _, b in inputs) == N_PAIRS
    assert (ids_ok, offsets_ok, types_ok, words_ok) == (n, n, n, n), bad[:5]


def _batches(tokenizer, n: int, limit: int):
    """``n`` inputs in padded batches of 1-8 inputs of at most 40 tokens (single texts and
    pairs in turn, one batch in four padded on the left), then a long input (200 to
    ``limit`` tokens) alone."""
    rng = np.random.default_rng(7)
    length = lambda a, b=None: len(tokenizer(a, b)["input_ids"])  # noqa: E731
    singles = [t for t in texts(600) if length(t) <= 40]
    twos = [p for p in pairs(600) if length(*p) <= 40]
    longs = [t for t in texts(N_TEXTS) if 200 <= length(t) <= limit]
    rng.shuffle(singles)
    rng.shuffle(twos)
    batches, count = [], 0
    while count < n - 1:
        size = int(rng.integers(1, 9))
        tokenizer.padding_side = "left" if len(batches) % 4 == 3 else "right"
        if len(batches) % 2:
            group, twos = twos[:size], twos[size:]
            enc = tokenizer([a for a, _ in group], [b for _, b in group], padding=True,
                            return_tensors="pt")
        else:
            group, singles = singles[:size], singles[size:]
            enc = tokenizer(group, padding=True, return_tensors="pt")
        batches.append(dict(enc))
        count += len(group)
    tokenizer.padding_side = "right"
    batches.append(dict(tokenizer(min(longs, key=length), return_tensors="pt")))
    return batches


def _js_forward(page, name: str, batches: list[dict]) -> list[np.ndarray]:
    """JS logits, attentions, hidden states (each all flattened), a few batches per call."""
    parts, chunk = [], []
    for i, b in enumerate(batches):
        chunk.append({k: v.tolist() for k, v in b.items()})
        if sum(len(c["input_ids"]) * len(c["input_ids"][0]) for c in chunk) > 1500 \
                or i == len(batches) - 1:
            parts.append([floats(s) for s in page.evaluate(JS_FORWARD, [name, chunk])])
            chunk = []
    return [np.concatenate([p[k] for p in parts]) for k in range(3)]


def test_forward_equals_torch(page, loaded):
    name, model, tokenizer = loaded
    batches = _batches(tokenizer, N_FORWARD, model.config.max_position_embeddings - 2)
    js_logits, js_attn, js_hidden = _js_forward(page, name, batches)
    want_logits, want_attn, want_hidden = _torch_forward(model, batches)
    assert js_logits.shape == want_logits.shape and js_attn.shape == want_attn.shape
    assert js_hidden.shape == want_hidden.shape
    d_logits = float(np.abs(js_logits - want_logits).max())
    d_attn = float(np.abs(js_attn - want_attn).max())
    d_hidden = float(np.abs(js_hidden - want_hidden).max())
    n = sum(len(b["input_ids"]) for b in batches)
    longest = max(b["input_ids"].shape[1] for b in batches)
    padded = sum(int((b["attention_mask"] == 0).any()) for b in batches)
    print(f"{name}: {n} inputs in {len(batches)} batches ({padded} padded, up to {longest} "
          f"tokens): max |diff| logits {d_logits:.2g}, attentions {d_attn:.2g}, "
          f"hidden states {d_hidden:.2g}")
    assert n >= 200 and padded >= 10 and longest >= 200
    # the JS runs in float64: it equals torch's float64 forward of the same (fp16) weights
    # far more closely than torch's own float32 forward does
    f64 = _torch_forward(copy.deepcopy(model).double(), batches)
    far = [float(np.abs(a - b).max()) for a, b in zip((js_logits, js_attn, js_hidden), f64)]
    own = [float(np.abs(a - b).max()) for a, b in zip((want_logits, want_attn, want_hidden), f64)]
    print(f"  vs torch float64: logits {far[0]:.2g}, attentions {far[1]:.2g}, hidden states "
          f"{far[2]:.2g}; torch float32 vs float64: {own[0]:.2g}, {own[1]:.2g}, {own[2]:.2g}")
    for js, ref in zip((js_logits, js_attn, js_hidden), f64):
        np.testing.assert_allclose(js, ref, rtol=1e-5, atol=1e-6)
    # so the distance to torch float32 is torch float32's own rounding: at most 1e-4 on
    # attentions, and on logits (up to ~11 in size) 1e-4 plus 1e-5 relative
    assert d_attn <= 1e-4
    np.testing.assert_allclose(js_logits, want_logits, rtol=1e-5, atol=1e-4)
    np.testing.assert_allclose(js_hidden, want_hidden, rtol=1e-4, atol=1e-4)


def _torch_forward(model, batches) -> list[np.ndarray]:
    """torch's logits, attentions, hidden states of every input, flattened like the JS ones."""
    logits, attn, hidden = [], [], []
    with torch.no_grad():
        for b in batches:
            out = model(**b, output_attentions=True, output_hidden_states=True)
            for r in range(len(b["input_ids"])):
                if hasattr(out, "start_logits"):
                    logits += [out.start_logits[r], out.end_logits[r]]
                else:
                    logits.append(out.logits[r])
                attn += [a[r] for a in out.attentions]
                hidden += [h[r] for h in out.hidden_states]
    flat = lambda ts: torch.cat([t.reshape(-1) for t in ts]).double().numpy()  # noqa: E731
    return [flat(logits), flat(attn), flat(hidden)]


JS_LOSSES = """(cases) => globalThis.hfaRuntime.then(({ losses }) => cases.map((c) => {
  if (c.kind === "ce") return losses.crossEntropy(c.logits, c.labels, { ignoreIndex: c.ignore }).loss;
  if (c.kind === "bce") return losses.bceWithLogits(c.logits, c.targets).loss;
  if (c.kind === "mse") return losses.mse(c.logits, c.targets).loss;
  return losses.qaLoss(c.start, c.end, c.starts, c.ends).loss;
}).map((x) => (Number.isNaN(x) ? "NaN" : x)))"""


def test_losses_equal_torch(page):
    g = torch.Generator().manual_seed(3)
    cases, want = [], []
    for k in range(60):
        n, c = 1 + k % 7, 2 + k % 5
        logits = torch.randn(n, c, generator=g) * (1 + k % 4) * 3
        labels = torch.randint(0, c, (n,), generator=g)
        if k % 3 == 0:
            labels[torch.rand(n, generator=g) < 0.5] = -100
        if k % 10 == 9:
            labels[:] = -100  # every row ignored: nan
        cases.append({"kind": "ce", "logits": logits.tolist(), "labels": labels.tolist(),
                      "ignore": -100})
        want.append(F.cross_entropy(logits, labels, ignore_index=-100).item())
        targets = (torch.rand(n, c, generator=g) > 0.5).float()
        cases.append({"kind": "bce", "logits": logits.tolist(), "targets": targets.tolist()})
        want.append(F.binary_cross_entropy_with_logits(logits, targets).item())
        reg = torch.randn(n, 1, generator=g)
        cases.append({"kind": "mse", "logits": logits[:, :1].tolist(), "targets": reg.tolist()})
        want.append(F.mse_loss(logits[:, :1], reg).item())
        length = 5 + k % 20
        start, end = torch.randn(2, n, length, generator=g) * 4
        starts = torch.randint(-3, length + 5, (n,), generator=g)
        ends = torch.randint(-3, length + 5, (n,), generator=g)
        if k % 10 == 9:
            starts[:], ends[:] = length + 1, length  # all outside the window: nan
        cases.append({"kind": "qa", "start": start.tolist(), "end": end.tolist(),
                      "starts": starts.tolist(), "ends": ends.tolist()})
        s, e = starts.clamp(0, length), ends.clamp(0, length)
        want.append(((F.cross_entropy(start, s, ignore_index=length)
                      + F.cross_entropy(end, e, ignore_index=length)) / 2).item())
    got = [float("nan") if x == "NaN" else x for x in page.evaluate(JS_LOSSES, cases)]
    nans = [math.isnan(w) for w in want]
    assert sum(nans) >= 12 and [math.isnan(x) for x in got] == nans
    np.testing.assert_allclose([x for x, m in zip(got, nans) if not m],
                               [w for w, m in zip(want, nans) if not m], rtol=1e-5, atol=1e-7)


def test_over_http(assets_page, browser, loaded):
    """The same files from a local http server: the ids and the logits equal Python's."""
    name, model, tokenizer = loaded
    with http_server(assets_page.parent) as base:
        page = open_page(browser, base + "index.html")
        sample = texts(40)
        got = page.evaluate("""([name, texts]) => globalThis.hfaRuntime.then((rt) => {
          const m = rt.loadModel(name);
          return texts.map((t) => { const o = m.run(t);
            return [o.encoding.input_ids, Array.from(o.logits ?? o.start_logits)]; }); })""",
                            [name, sample])
        assert page.errors == []
        assert all(u.startswith((base, "blob:")) for u in page.requests), page.requests
        page.close()
    with torch.no_grad():
        for text, (ids, logits) in zip(sample, got):
            enc = tokenizer(text, return_tensors="pt")
            assert ids == enc["input_ids"][0].tolist()
            out = model(**enc)
            want = out.logits[0] if name == "classifier" else out.start_logits[0]
            assert np.abs(np.array(logits) - want.numpy()).max() <= 1e-4


JS_WORKER = """async (texts) => {
  const rt = await globalThis.hfaRuntime;
  const worker = rt.startWorker(["classifier", "qa"]);
  const same = [];
  for (const t of texts) {
    const a = await worker.run("classifier", t), b = rt.loadModel("classifier").run(t);
    const c = await worker.run("qa", t, t), d = rt.loadModel("qa").run(t, t);
    same.push(JSON.stringify([Array.from(a.logits), a.encoding, Array.from(c.start_logits),
      Array.from(c.attentions[3])]) === JSON.stringify([Array.from(b.logits), b.encoding,
      Array.from(d.start_logits), Array.from(d.attentions[3])]));
  }
  // a long forward in the worker: the page's timer keeps ticking meanwhile
  let last = performance.now(), gap = 0;
  const tick = setInterval(() => { const now = performance.now();
    gap = Math.max(gap, now - last); last = now; }, 5);
  const t0 = performance.now();
  const long = await worker.run("qa", "Who?", "word ".repeat(500));
  const ms = performance.now() - t0;
  clearInterval(tick);
  worker.terminate();
  return { same, tokens: long.encoding.input_ids.length, ms, gap };
}"""


def test_worker_equals_main_thread_and_does_not_block(page):
    got = page.evaluate(JS_WORKER, texts(12))
    print(f"worker: {got['tokens']} tokens in {got['ms']:.0f} ms; the page's longest pause "
          f"meanwhile {got['gap']:.0f} ms")
    assert got["same"] == [True] * 12
    assert got["tokens"] == 505 and got["gap"] < got["ms"] / 3


JS_ERRORS = """async () => {
  const rt = await globalThis.hfaRuntime;
  const attempt = (f) => { try { f(); return "no error"; } catch (e) { return `${e.name}: ${e.message}`; } };
  const c = rt.loadModel("classifier"), q = rt.loadModel("qa");
  const ids = (n) => [0, ...new Array(n - 2).fill(100), 2];
  return [
    attempt(() => rt.loadModel("gpt2")),
    attempt(() => c.forward({ input_ids: [ids(513)], attention_mask: [ids(513).map(() => 1)] })),
    attempt(() => c.forward({ input_ids: [ids(512)], attention_mask: [ids(512).map(() => 1)] })),
    attempt(() => q.run("x ".repeat(600))),
    attempt(() => c.forward({ input_ids: [[0, 8000, 2]], attention_mask: [[1, 1, 1]] })),
    attempt(() => rt.forwardOne(c, [0, 2], [1])),
    attempt(() => rt.losses.crossEntropy([[1, 2]], [2])),
  ];
}"""


def test_bad_input_gets_a_clear_error(page):
    got = page.evaluate(JS_ERRORS)
    assert got == [
        'Error: no weights for "gpt2" on this page: load hfa-gpt2.js with a script tag',
        "RangeError: 513 tokens: the position table has 514 rows, so this model reads at most "
        "512 tokens (cut the text or use windows)",
        "no error",
        "RangeError: 602 tokens: the position table has 512 rows, so this model reads at most "
        "512 tokens (cut the text or use windows)",
        "RangeError: token id 8000 is not in the vocabulary (0 to 7999)",
        "RangeError: 2 ids but 1 mask values",
        "RangeError: label 2 of row 0 is not a class id in [0, 2)",
    ]


def test_plain_es_modules_over_http(assets_page, browser, tmp_path):
    """Without the loader: a module script imports runtime.js by URL (as an anywidget ESM or
    a page served over http may), and gives the loader's results."""
    import shutil

    from hfanatomy.web.assets import MODULES, WEB_DIR

    for name in MODULES:
        (tmp_path / "web" / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(WEB_DIR / name, tmp_path / "web" / name)
    shutil.copy(assets_page.parent / "hfa-classifier.js", tmp_path)
    (tmp_path / "index.html").write_text(
        '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,">'
        '<script src="hfa-classifier.js"></script><script type="module">'
        'import * as rt from "./web/runtime.js"; globalThis.direct = rt;</script>',
        encoding="utf-8")
    text = "The food was never good, 영화는 😀"
    with http_server(tmp_path) as base:
        page = browser.new_page()
        page.goto(base + "index.html")
        direct = page.evaluate("""async (t) => { while (!globalThis.direct) await new Promise(
            (r) => setTimeout(r, 10)); return Array.from(direct.loadModel("classifier").run(t).logits); }""",
                               text)
        page.close()
    with http_server(assets_page.parent) as base:
        page = open_page(browser, base + "index.html")
        linked = page.evaluate("""async (t) => Array.from((await globalThis.hfaRuntime)
            .loadModel("classifier").run(t).logits)""", text)
        page.close()
    assert direct == linked and len(direct) == 2


def test_assets_are_deterministic_and_small(assets_page, tmp_path):
    from hfanatomy.web import write_assets

    sizes = write_assets(tmp_path)
    for fname in sizes:
        assert (tmp_path / fname).read_bytes() == (assets_page.parent / fname).read_bytes()
    total = sum(sizes.values())
    print({k: f"{v / 1e6:.2f} MB" for k, v in sizes.items()}, f"total {total / 1e6:.2f} MB")
    # the budget: the site grows by at most 10 MB (9.55 MB with the 9,732-token QA
    # model, base85; it was 10.15 MB in base64)
    assert total <= 10_000_000
