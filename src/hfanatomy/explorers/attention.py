"""The attention explorer: which token looks at which, per layer and head.

``AttentionExplorer(model, tokenizer, "some text")`` runs the model once (eager
attention) and shows three views of :class:`hfanatomy.attention.AttentionData`:

* ``heatmap``: the (layer, head) map, rows = "from" (query), columns = "to" (key);
* ``lines``: bertviz's head view, tokens in two columns joined by lines whose
  opacity is the weight (hover a token on the left to isolate its lines);
* ``model``: every layer x head as small maps (click one to open its heatmap).

Every head can also be ``"mean"`` (the mean over the layer's heads). Special tokens
are purple, padding is hidden (``show_pad=True`` greys it instead).

Live (a kernel, and the site for the embedded models): ``web/views/attention.js`` draws
the data of :meth:`AttentionExplorer.compute` on a canvas, only the visible part (a 512-token
map is a scroll box), and ``web/compute/attention.js`` computes the same data in the page.
The data holds only what the view needs: the readable pieces (as the token table writes
them), the selected (layer, head) map (packed in 1e-4 units past 128 tokens) and a small
block-max thumbnail of every head for the model view; a layer or head change recomputes
it from the attentions kept from the last forward pass. Input past the model's 512 tokens
is cut (as transformers' ``truncation=True``), with a warning.

Recorded view (``fallback_html``: JavaScript off, or a checkpoint other than the embedded
ones): the first state is SVG in the markup, with one
``<rect data-value=...><title>from -> to: w</title></rect>`` per cell. The other
(view, layer, head) states are ``data-hfa-state`` placeholders that a small inline
script fills on first display from the weights embedded once (base64 uint16,
4 decimals) by recolouring a copy of the first state: the same cells, the same
colour table, the same integer arithmetic as Python, so a filled state equals the
one Python would draw (``prerender="all"`` draws them all in Python instead, at
about 8x the size). The model view is one state: a pixelated PNG per layer (data: URI)
under clickable frames. Big models: past ``max_static_values`` embedded weights, the page
offers evenly spaced layers only (and says so); the live view always has every layer.
"""

from __future__ import annotations

import base64
import io
import json
import math
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

import numpy as np
import torch

from hfanatomy import html
from hfanatomy.attention import (
    AttentionData,
    Head,
    attention_data,
    block_max,
    compute_attention,
    cut_warning,
    model_max_tokens,
    torch_threads,
)
from hfanatomy.explorers.live import LiveExplorer
from hfanatomy.models import quiet
from hfanatomy.tokens import readable_tokens, tokenizer_kind

VIEWS = (("heatmap", "heatmap"), ("lines", "lines (head view)"), ("model", "model view"))
SPECIAL = "#8250df"
MUTED = "#8c959f"
PAD_FILL = "#eaeef2"
LINE = "#1f5fa8"
SCALE = 10_000  # weights are shown and embedded with 4 decimals
#: the model view's thumbnails have at most THUMB x THUMB blocks (see block_max), and at
#: most THUMB_BUDGET numbers in all
THUMB, THUMB_BUDGET = 32, 20_480
#: the selected map travels as JSON floats up to PACK_PAST tokens, packed past them
PACK_PAST = 128
#: decimals of the weights sent as JSON floats
DECIMALS = 7
#: static page budget: layers x (heads + 1) x tokens^2 weights embedded (about 2.7 bytes each)
MAX_STATIC_VALUES = 150_000

EXTRA_CSS = """
.hfa-explorer .hfa-caption{color:#57606a;font-size:12px;margin:2px 0 6px}
.hfa-explorer svg.hfa-lines:hover g.hfa-from{opacity:.12}
.hfa-explorer svg.hfa-lines g.hfa-from:hover{opacity:1}
.hfa-explorer svg.hfa-lines g.hfa-from text{cursor:default}
.hfa-explorer g.hfa-mini{cursor:pointer}
.hfa-explorer g.hfa-mini:hover rect.hfa-frame{stroke:#d1242f;stroke-width:2}
.hfa-explorer .hfa-error{color:#d1242f}
"""

# Fills the (view|layer|head) placeholder from the template of its view: same cells,
# new data-value / fill / stroke-opacity / title, with Python's integer arithmetic.
_SCRIPT = """
(function(){var root=document.getElementById(%(id)s);if(!root)return;
var M=JSON.parse(document.getElementById(%(meta)s).textContent),C={},S={},W=null;
root.querySelectorAll('[data-hfa-control]').forEach(function(c){C[c.name]=c});
root.querySelectorAll('[data-hfa-state]').forEach(function(s){S[s.getAttribute('data-hfa-state')]=s});
function w(){if(!W){var b=atob(M.w);W=new Uint16Array(b.length/2);
for(var i=0;i<W.length;i++)W[i]=b.charCodeAt(2*i)|(b.charCodeAt(2*i+1)<<8);}return W;}
function pad(s,n){s=String(s);while(s.length<n)s='0'+s;return s;}
function f4(q){return Math.floor(q/10000)+'.'+pad(q%%10000,4);}
function ci(q){var k=Math.floor(Math.sqrt(q*6.5025)+0.5);
while(k>0&&100*(2*k-1)*(2*k-1)>2601*q)k--;while(100*(2*k+1)*(2*k+1)<=2601*q)k++;return k;}
function key(){var v=C.view.value;return v==='model'?'model':v+'|'+C.layer.value+'|'+C.head.value;}
function fill(s,k){var p=k.split('|'),v=p[0],h=p[2]==='mean'?M.H:+p[2],L=M.L,K=M.keep,n=K.length;
var t=root.querySelector('[data-hfa-template="'+v+'"]');if(!t)return;s.innerHTML=t.innerHTML;
var a=w(),off=(M.li[p[1]]*(M.H+1)+h)*L*L,q=[];
for(var r=0;r<n;r++)for(var c=0;c<n;c++)q.push(a[off+K[r]*L+K[c]]);
s.querySelectorAll('[data-value]').forEach(function(e,i){var x=q[i],f=f4(x);e.setAttribute('data-value',f);
if(!e.classList.contains('hfa-pad')){if(v==='heatmap')e.setAttribute('fill',M.cmap[ci(x)]);
else e.setAttribute('stroke-opacity',f);}
var tt=e.querySelector('title');if(tt)tt.textContent=tt.textContent.replace(/[^ ]*$/,f);});
var cap='layer '+p[1]+' \\u00b7 '+(p[2]==='mean'?'mean of '+M.H+' heads':'head '+p[2]);
s.querySelectorAll('.hfa-cap').forEach(function(e){e.textContent=cap});
var g=s.querySelector('svg');if(g)g.setAttribute('aria-label',g.getAttribute('aria-label').replace(/, .*$/,', '+cap));}
function show(){var m=C.view.value==='model';C.layer.disabled=m;C.head.disabled=m;
var k=key(),s=S[k];if(s&&!s.hasChildNodes())fill(s,k);for(var x in S)S[x].hidden=(x!==k);}
root.querySelectorAll('[data-hfa-open]').forEach(function(g){g.addEventListener('click',function(){
var p=g.getAttribute('data-hfa-open').split('|');C.view.value='heatmap';C.layer.value=p[0];
C.head.value=p[1];show();});});
for(var c in C){C[c].addEventListener('change',show);C[c].addEventListener('input',show);}
show();})();
"""


# ----------------------------------------------------------------------------- numbers
@lru_cache(maxsize=4)
def colour_table(cmap: str = "Blues") -> tuple[str, ...]:
    """256 hex colours of ``cmap``, indexed by :func:`colour_index`."""
    return tuple(html.color(i / 255, 0.0, 1.0, cmap) for i in range(256))


def _quantized(m: torch.Tensor) -> np.ndarray:
    # numpy, not torch: no thread pool to wake for a few thousand numbers
    a = m.detach().cpu().numpy().astype(np.float32) * np.float32(SCALE)
    return np.clip(np.rint(a), 0, SCALE).astype(np.int64)


def quantize(m: torch.Tensor) -> list[list[int]]:
    """Weights as integers in units of 1e-4, round half to even (what the page shows and
    embeds)."""
    return _quantized(m).tolist()


def f4(q: int) -> str:
    """``1234`` -> ``"0.1234"`` (exact, same string as the page's script)."""
    return f"{q // SCALE}.{q % SCALE:04d}"


def colour_index(q: int) -> int:
    """``round(255 * sqrt(q / 1e4))`` in exact integers (the page's script does the same).

    The square root spreads small weights (a uniform row of 15 tokens is 0.067, a
    light blue) while keeping one fixed scale for every head: 0 = white, 1 = darkest.
    """
    k = int(math.sqrt(q * 6.5025) + 0.5)
    while k > 0 and 100 * (2 * k - 1) ** 2 > 2601 * q:
        k -= 1
    while 100 * (2 * k + 1) ** 2 <= 2601 * q:
        k += 1
    return k


def _positions(data: AttentionData, show_pad: bool) -> list[int]:
    return list(range(data.length)) if show_pad else data.shown


def _label(tok: str, limit: int = 12) -> str:
    return tok if len(tok) <= limit else tok[: limit - 1] + "\u2026"


def _tok_fill(data: AttentionData, i: int) -> str:
    if data.is_pad[i]:
        return f' fill="{MUTED}"'
    if data.is_special[i]:
        return f' fill="{SPECIAL}" font-weight="600"'
    return ""


def caption(layer: int, head: Head, num_heads: int) -> str:
    who = f"mean of {num_heads} heads" if head == "mean" else f"head {head}"
    return f"layer {layer} \u00b7 {who}"




# ----------------------------------------------------------------------------- SVG views
def svg_heatmap(data: AttentionData, layer: int, head: Head = 0, *, show_pad: bool = False,
                cmap: str = "Blues") -> str:
    """One map as SVG: rows = from (query), columns = to (key); one ``<rect>`` per cell."""
    keep = _positions(data, show_pad)
    n = len(keep)
    q = quantize(data.map(layer, head))  # (L, L) ints
    table = colour_table(cmap)
    c = max(8, min(22, 440 // max(n, 1)))
    longest = max([len(_label(data.tokens[i])) for i in keep] + [3])
    margin = 14 + int(6.8 * longest)
    left, top = margin + 28, margin + 20
    width, height = max(left + n * c + 10, 440), top + n * c + 34
    out = [f'<svg class="hfa-hm" role="img" aria-label="attention heatmap, '
           f'{html.esc(caption(layer, head, data.num_heads))}" width="{width}" '
           f'height="{height}" viewBox="0 0 {width} {height}" font-size="11">',
           f'<text class="hfa-cap" x="2" y="12" font-weight="600">'
           f'{html.esc(caption(layer, head, data.num_heads))}</text>',
           f'<text x="{left - 4}" y="{top - 6}" text-anchor="end" fill="{MUTED}" '
           f'font-size="10">from \u2193 to \u2192</text>']
    for r, i in enumerate(keep):
        y = top + r * c + c / 2
        out.append(f'<text x="{left - 4}" y="{y:.1f}" text-anchor="end" dominant-baseline="middle"'
                   f'{_tok_fill(data, i)}>{html.esc(_label(data.tokens[i]))}</text>')
        x = left + r * c + c / 2
        out.append(f'<text transform="translate({x:.1f},{top - 4}) rotate(-90)" '
                   f'dominant-baseline="middle"{_tok_fill(data, i)}>'
                   f'{html.esc(_label(data.tokens[i]))}</text>')
    out.append('<g stroke="#fff" stroke-width="0.5">')
    for r, i in enumerate(keep):
        for col, j in enumerate(keep):
            v = q[i][j]
            pad = data.is_pad[i] or data.is_pad[j]
            fill = PAD_FILL if pad else table[colour_index(v)]
            cls = ' class="hfa-pad"' if pad else ""
            out.append(f'<rect{cls} x="{left + col * c}" y="{top + r * c}" width="{c}" '
                       f'height="{c}" fill="{fill}" data-value="{f4(v)}"><title>'
                       f'{html.esc(data.tokens[i])} [{i}] -> {html.esc(data.tokens[j])} [{j}]: '
                       f'{f4(v)}</title></rect>')
    out.append("</g>")
    out.append(f'<text x="2" y="{top + n * c + 20}" fill="#57606a" font-size="10">white = 0, '
               "darkest = 1 (shade follows the square root of the weight)</text></svg>")
    return "".join(out)


def svg_lines(data: AttentionData, layer: int, head: Head = 0, *, show_pad: bool = False,
              titles: bool | None = None) -> str:
    """bertviz's head view: tokens twice, a line per (from, to), opacity = weight.

    ``titles``: a hover title per line (default: up to 32 tokens; beyond, the n^2
    titles would double the page for lines nobody can single out; the heatmap keeps
    its titles).
    """
    keep = _positions(data, show_pad)
    n = len(keep)
    titles = n <= 32 if titles is None else titles
    q = quantize(data.map(layer, head))  # (L, L) ints
    longest = max([len(_label(data.tokens[i])) for i in keep] + [3])
    tw = 10 + int(6.8 * longest)
    row = 18
    x1, x2 = tw + 6, tw + 6 + 150
    top = 36
    width, height = max(x2 + tw + 10, 440), top + n * row + 26
    out = [f'<svg class="hfa-lines" role="img" aria-label="attention lines, '
           f'{html.esc(caption(layer, head, data.num_heads))}" width="{width}" '
           f'height="{height}" viewBox="0 0 {width} {height}" font-size="11">',
           f'<text class="hfa-cap" x="2" y="12" font-weight="600">'
           f'{html.esc(caption(layer, head, data.num_heads))}</text>',
           f'<text x="{x1 - 4}" y="28" text-anchor="end" fill="{MUTED}" font-size="10">from</text>',
           f'<text x="{x2 + 4}" y="28" fill="{MUTED}" font-size="10">to</text>']
    for r, i in enumerate(keep):
        y = top + r * row + row / 2
        out.append(f'<text x="{x2 + 4}" y="{y:.1f}" dominant-baseline="middle"'
                   f'{_tok_fill(data, i)}>{html.esc(_label(data.tokens[i]))}</text>')
    for r, i in enumerate(keep):
        y = top + r * row + row / 2
        out.append(f'<g class="hfa-from" stroke="{LINE}" stroke-width="2"><text x="{x1 - 4}" '
                   f'y="{y:.1f}" text-anchor="end" stroke="none" '
                   f'dominant-baseline="middle"{_tok_fill(data, i)}>'
                   f'{html.esc(_label(data.tokens[i]))}</text>')
        for col, j in enumerate(keep):
            v = q[i][j]
            pad = data.is_pad[i] or data.is_pad[j]
            yj = top + col * row + row / 2
            op = "0.05" if pad else f4(v)
            cls = ' class="hfa-pad"' if pad else ""
            out.append(f'<line{cls} x1="{x1}" y1="{y:.1f}" x2="{x2}" y2="{yj:.1f}" '
                       f'stroke-opacity="{op}" '
                       f'data-value="{f4(v)}">' + (
                           f"<title>{html.esc(data.tokens[i])} [{i}] -> "
                           f"{html.esc(data.tokens[j])} [{j}]: {f4(v)}</title></line>"
                           if titles else "</line>"))
        out.append("</g>")
    out.append(f'<text x="2" y="{top + n * row + 16}" fill="#57606a" font-size="10">line '
               "opacity = weight; hover a token on the left for its lines only</text></svg>")
    return "".join(out)


def _png_strip(data: AttentionData, layer: int, heads: list[Head], keep: list[int],
               cmap: str) -> str:
    """One layer's maps side by side (a blank pixel column between two), one pixel per cell,
    as a palette PNG holding only the colours used, in a data: URI (a few hundred bytes)."""
    from PIL import Image

    table = colour_table(cmap)
    n = len(keep)
    blank = "#ffffff"
    rows: list[list[str]] = [[] for _ in range(n)]
    for k, h in enumerate(heads):
        q = quantize(data.map(layer, h))  # (L, L) ints
        for r, i in enumerate(keep):
            if k:
                rows[r].append(blank)
            rows[r].extend(PAD_FILL if (data.is_pad[i] or data.is_pad[j])
                           else table[colour_index(q[i][j])] for j in keep)
    used = sorted({c for row in rows for c in row})
    index = {c: k for k, c in enumerate(used)}
    pixels = np.array([[index[c] for c in row] for row in rows], dtype=np.uint8)  # (n, W)
    img = Image.fromarray(pixels, "P")
    img.putpalette([int(c[k:k + 2], 16) for c in used for k in (1, 3, 5)])
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def svg_model_view(data: AttentionData, *, show_pad: bool = False, cmap: str = "Blues",
                   size: int | None = None, layers: Sequence[int] | None = None) -> str:
    """Every layer x head (+ mean) as small maps; each opens its heatmap when clicked.

    One PNG per layer (pixelated, one pixel per cell); ``layers`` limits the rows.
    """
    keep = _positions(data, show_pad)
    n = max(len(keep), 1)
    layers = list(range(data.num_layers)) if layers is None else list(layers)
    heads: list[Head] = list(range(data.num_heads)) + ["mean"]
    cols = len(heads)
    size = size or max(36, min(72, 900 // cols - 8))
    px = size / n  # screen pixels per cell
    step = size + px  # one map + the blank column
    gap, left, top = 8, 56, 30
    width = int(left + cols * step + 4)
    height = top + len(layers) * (size + gap) + 18
    out = [f'<svg class="hfa-model" role="img" aria-label="attention of every layer and head" '
           f'width="{width}" '
           f'height="{height}" viewBox="0 0 {width} {height}" font-size="11">',
           '<text x="2" y="12" font-weight="600">model view: every layer and head</text>']
    for k, h in enumerate(heads):
        out.append(f'<text x="{left + k * step + size / 2:.1f}" y="{top - 4}" '
                   f'text-anchor="middle" fill="{MUTED}">{"mean" if h == "mean" else f"head {h}"}'
                   "</text>")
    for r, layer in enumerate(layers):
        y = top + r * (size + gap)
        out.append(f'<text x="{left - 6}" y="{y + size / 2}" text-anchor="end" '
                   f'dominant-baseline="middle" fill="{MUTED}">layer {layer}</text>')
        out.append(f'<image x="{left}" y="{y}" width="{cols * step - px:.1f}" height="{size}" '
                   f'preserveAspectRatio="none" style="image-rendering:pixelated" '
                   f'href="{_png_strip(data, layer, heads, keep, cmap)}"/>')
        for k, h in enumerate(heads):
            out.append(f'<g class="hfa-mini" data-hfa-open="{layer}|{h}"><title>'
                       f'{html.esc(caption(layer, h, data.num_heads))}: click to open its heatmap'
                       f'</title><rect class="hfa-frame" x="{left + k * step:.1f}" y="{y}" '
                       f'width="{size}" height="{size}" fill="none" pointer-events="all" '
                       f'stroke="#d0d7de"/></g>')
    out.append(f'<text x="2" y="{height - 4}" fill="#57606a" font-size="10">rows = from, columns '
               "= to; same shading as the heatmap</text></svg>")
    return "".join(out)


def render_view(data: AttentionData, view: str, layer: int, head: Head, *,
                show_pad: bool = False) -> str:
    """The SVG of one state of the explorer."""
    if view == "heatmap":
        return svg_heatmap(data, layer, head, show_pad=show_pad)
    if view == "lines":
        return svg_lines(data, layer, head, show_pad=show_pad)
    if view == "model":
        return svg_model_view(data, show_pad=show_pad)
    raise ValueError(f"view must be one of {[v for v, _ in VIEWS]}, got {view!r}")


def _packed_weights(data: AttentionData, layers: Sequence[int]) -> str:
    """The (layer, head + mean) maps of ``layers`` as uint16 (1e-4 units), little-endian,
    base64."""
    layers = list(layers)
    maps = torch.cat([data.weights[layers],
                      torch.stack([data.mean_over_heads(layer) for layer in layers])[:, None]],
                     dim=1)  # (len(layers), heads + 1, L, L)
    q = _quantized(maps).astype("<u2")
    return base64.b64encode(q.tobytes()).decode("ascii")


# ----------------------------------------------------------------------------- live data
# What the JS view (web/views/attention.js) draws, as JSON; web/compute/attention.js
# computes the same in the browser for the embedded models, step for step.
def check_selection(state: dict, num_layers: int, num_heads: int) -> tuple[int, Head]:
    """``state["layer"]`` and ``state["head"]`` (an int or ``"mean"``), checked."""
    layer, head = state.get("layer", 0), state.get("head", 0)
    if isinstance(layer, bool) or not isinstance(layer, int) or not 0 <= layer < num_layers:
        raise ValueError(f"layer must be 0..{num_layers - 1}, got {layer!r}")
    if head != "mean" and (isinstance(head, bool) or not isinstance(head, int)
                           or not 0 <= head < num_heads):
        raise ValueError(f'head must be 0..{num_heads - 1} or "mean", got {head!r}')
    return layer, head


def packed(q: np.ndarray) -> str:
    """Integers in 0..65535 as little-endian uint16, base64: how a map past ``PACK_PAST``
    tokens travels (``unpack`` in the view).

    A 512-token map is 262,144 numbers: as a JSON list of floats it takes ~120 ms to walk
    and write in Python and 2.8 MB on the wire; packed in 1e-4 units, 0.7 MB and a few ms.
    """
    return base64.b64encode(np.ascontiguousarray(q, dtype="<u2").tobytes()).decode("ascii")


def unpack(text: str) -> np.ndarray:
    """The integers of :func:`packed` (flat)."""
    return np.frombuffer(base64.b64decode(text), dtype="<u2").astype(np.int64)


def rounded(m: torch.Tensor | np.ndarray) -> list:
    """Weights as JSON floats with ``DECIMALS`` decimals (the page's float64 forward pass
    and torch's float32 one then agree within ~1e-7: live.assert_same's tolerance)."""
    a = m.detach().cpu().numpy() if isinstance(m, torch.Tensor) else np.asarray(m)
    return np.round(a.astype(np.float64), DECIMALS).tolist()


def thumb_size(n: int, maps: int) -> int:
    """Blocks per side of the model view's thumbnails: up to ``THUMB``, fewer for models
    with many heads (``THUMB_BUDGET`` numbers in all), at least 8, never more than ``n``."""
    return min(n, THUMB, max(8, math.isqrt(THUMB_BUDGET // maps)))


def thumbnails(data: AttentionData, keep: Sequence[int]) -> tuple[int, list]:
    """The model view's maps: per layer, per head then the mean over heads, a ``t x t``
    :func:`~hfanatomy.attention.block_max` thumbnail (row-major, floats); returns ``(t,
    [layer][head or mean] -> t * t floats)``."""
    maps = torch.cat([data.weights, data.weights.mean(dim=1, keepdim=True)],
                     dim=1)  # (layers, heads + 1, L, L)
    t = thumb_size(len(keep), maps.shape[0] * maps.shape[1])
    small = block_max(maps, keep, t)  # (layers, heads + 1, t, t)
    return t, rounded(small.reshape(small.shape[0], small.shape[1], -1))


# ----------------------------------------------------------------------------- explorer
class AttentionExplorer(LiveExplorer):
    """Attention of one text (or pair), by layer and head: heatmap, lines, model view.

    Give ``model`` + ``tokenizer`` + ``text`` (the model must run eager attention),
    or ``attention`` (one ``(B, heads, L, L)`` tensor per layer) + ``tokens`` (recorded:
    only the layer, head and view change). ``examples`` maps a label to a text or a
    ``(text, pair)`` for the view's example picker (default: the given text).
    """

    title = "Attention: who looks at whom"
    kind = "attention"

    def __init__(self, model: Any = None, tokenizer: Any = None, text: str | None = None,
                 text_pair: str | None = None, *, attention: Sequence[torch.Tensor] | None = None,
                 tokens: Sequence[str] | None = None, layer: int = 0, head: Head = 0,
                 view: str = "heatmap", attention_mask: Any = None, batch_index: int | None = None,
                 special_tokens: Any = None, max_length: int | None = None,
                 show_pad: bool = False, prerender: str = "lazy", title: str | None = None,
                 max_static_values: int = MAX_STATIC_VALUES, num_threads: int | None = 1,
                 examples: Mapping[str, str | tuple[str, str | None]] | None = None):
        if prerender not in ("lazy", "all"):
            raise ValueError(f'prerender must be "lazy" or "all", got {prerender!r}')
        if view not in [v for v, _ in VIEWS]:
            raise ValueError(f"view must be one of {[v for v, _ in VIEWS]}, got {view!r}")
        if (model is None) != (tokenizer is None):
            raise ValueError("pass both model and tokenizer (or neither, with attention= and "
                             "tokens=)")
        self.model, self.tokenizer, self.max_length = model, tokenizer, max_length
        self.show_pad, self.prerender = show_pad, prerender
        self.max_static_values = max_static_values
        self.num_threads = num_threads
        if title:
            self.title = title
        if attention is not None or tokens is not None:
            if attention is None or tokens is None:
                raise ValueError("pass attention= and tokens= together (bertviz's contract)")
            self.data = attention_data(attention, tokens, special_tokens=special_tokens,
                                       attention_mask=attention_mask, batch_index=batch_index,
                                       text=text, text_pair=text_pair)
        elif model is not None:
            if text is None:
                raise ValueError("pass text= (the sentence whose attention to show)")
            self.data = compute_attention(model, tokenizer, text, text_pair, max_length,
                                          num_threads=num_threads)
        else:
            raise ValueError("pass model=, tokenizer= and text=, or attention= and tokens=")
        self.layer = self.data.check_layer(layer)
        self.head = self.data.check_head(head)
        self.view = view
        if examples is None:
            examples = {"example": (self.data.text or "", self.data.text_pair)}
        self.examples = {k: (v, None) if isinstance(v, str) else (v[0], v[1] or None)
                         for k, v in examples.items()}
        if not self.examples:
            raise ValueError("examples must hold at least one text (or (text, pair))")
        self.piece_kind = (tokenizer_kind(tokenizer) if tokenizer is not None
                           else "byte-level BPE" if any("\u0120" in t for t in self.data.tokens)
                           else "WordPiece")
        self.max_tokens = model_max_tokens(model, tokenizer) if model is not None else None
        self._last: tuple | None = None  # ((text, pair), AttentionData, warnings, thumbnails)

    # --------------------------------------------------------------- static view
    def static_layers(self) -> list[int]:
        """The layers the static page offers: all of them, unless their weights would pass
        ``max_static_values`` (layers x (heads + 1) x tokens^2); then evenly spaced ones
        (first and last included, plus the initial layer). The live view has every layer."""
        d = self.data
        per_layer = (d.num_heads + 1) * len(_positions(d, self.show_pad)) ** 2
        k = max(1, self.max_static_values // max(per_layer, 1))
        if k >= d.num_layers:
            return list(range(d.num_layers))
        if k == 1:
            chosen = {self.layer}
        else:
            chosen = {round(i * (d.num_layers - 1) / (k - 1)) for i in range(k)} | {self.layer}
        return sorted(chosen)

    def state_keys(self) -> list[tuple[str, ...]]:
        """Every state of the static view: (view, layer, head) and the one model view."""
        d = self.data
        heads = [str(h) for h in range(d.num_heads)] + ["mean"]
        keys: list[tuple[str, ...]] = [(v, str(layer), h) for v in ("heatmap", "lines")
                                       for layer in self.static_layers() for h in heads]
        return keys + [("model",)]

    def fallback_html(self) -> str:
        d, sp = self.data, self.show_pad
        eid = html.new_id("hfa-attn", "|".join(d.tokens) + f"{d.num_layers}x{d.num_heads}")
        meta_id = eid + "-data"
        initial = ("model",) if self.view == "model" else (self.view, str(self.layer),
                                                           str(self.head))
        templates = {"heatmap": ("heatmap", str(self.layer), str(self.head)),
                     "lines": ("lines", str(self.layer), str(self.head))}
        parts = []
        layers = self.static_layers()
        for key in self.state_keys():
            view = key[0]
            pre = self.prerender == "all" or key == ("model",) or key in templates.values()
            if pre and view == "model":
                markup = svg_model_view(d, show_pad=sp, layers=layers)
            elif pre:
                head: Head = "mean" if key[2] == "mean" else int(key[2])
                markup = render_view(d, view, int(key[1]), head, show_pad=sp)
            else:
                markup = ""
            attrs = f' data-hfa-state="{html.esc("|".join(key))}"'
            if key in templates.values():
                attrs += f' data-hfa-template="{view}"'
            hidden = "" if key == initial else " hidden"
            parts.append(f'<div class="hfa-state"{attrs}{hidden}>{markup}</div>')
        heads = [(str(h), f"head {h}") for h in range(d.num_heads)] + [("mean", "mean of heads")]
        controls = [
            html.select("view", list(VIEWS), self.view, "view"),
            html.select("layer", [(str(i), f"layer {i}") for i in layers], str(self.layer),
                        "layer"),
            html.select("head", heads, str(self.head), "head"),
        ]
        meta = {"L": d.length, "H": d.num_heads, "keep": _positions(d, sp),
                "li": {str(layer): k for k, layer in enumerate(layers)},
                "cmap": list(colour_table()),
                "w": _packed_weights(d, layers) if self.prerender == "lazy" else ""}
        pad_word = "greyed" if sp else "hidden"
        cap = (f'<div class="hfa-caption">Row = the token that looks, column = the token it looks '
               f"at; each row is a softmax, so it sums to 1. Special tokens are "
               f'<span class="hfa-special">purple</span>, padding is {pad_word}; hover a cell '
               f"for its exact weight.{' ' + html.esc(d.note) if d.note else ''}</div>")
        if len(layers) < d.num_layers:
            shown = ", ".join(map(str, layers))
            cap += (f'<div class="hfa-caption">To keep this page small it offers layers {shown} '
                    f"of {d.num_layers}; the live explorer shows every layer.</div>")
        inner = (f'<style>{EXTRA_CSS}</style>{cap}<div class="hfa-controls">{"".join(controls)}'
                 f'</div>{"".join(parts)}{html.json_script(meta, meta_id)}')
        script = _SCRIPT % {"id": json.dumps(eid), "meta": json.dumps(meta_id)}
        return html.explorer_box(inner, title=self.title,
                                 note=html.live_note("type your own text"), script=script,
                                 element_id=eid)

    # --------------------------------------------------------------- live data
    def title_base(self) -> str | None:
        """The title without the example it names, when it ends with one in brackets
        ("Attention: who looks at whom (Oliver's employer)" with an example "Oliver's
        employer"): the live view then names the example shown, or "(your text)" once the
        reader types. None when the title names no example."""
        for label in sorted(self.examples, key=len, reverse=True):
            if self.title.endswith(f"({label})"):
                return self.title[: -len(label) - 2].rstrip() or None
        return None

    def config(self) -> dict:
        """What never changes: title (and ``title_base``, see :meth:`title_base`), caption,
        examples, sizes, views and colours."""
        d = self.data
        return {
            "title": self.title,
            "title_base": self.title_base(),
            "caption": ("Row = the token that looks, column = the token it looks at; each row "
                        "is a softmax, so it sums to 1. Special tokens are purple. Hover or "
                        "tap a cell for its exact weight; in the model view, click a map to "
                        "open its heatmap."),
            "examples": {k: {"text": t, "text_pair": p} for k, (t, p) in self.examples.items()},
            "pair": any(p is not None for _, p in self.examples.values()),
            "num_layers": d.num_layers, "num_heads": d.num_heads,
            "max_tokens": self.max_tokens, "piece_kind": self.piece_kind,
            "special_tokens": sorted(self._special_tokens()),
            "views": [list(v) for v in VIEWS], "scale": SCALE, "thumb": THUMB,
            "thumb_budget": THUMB_BUDGET, "pack_past": PACK_PAST, "decimals": DECIMALS,
            "colours": list(colour_table()),
        }

    def _special_tokens(self) -> set[str]:
        d = self.data
        if self.tokenizer is not None and getattr(self.tokenizer, "all_special_tokens", None):
            return set(self.tokenizer.all_special_tokens)
        return {t for t, sp in zip(d.tokens, d.is_special) if sp}

    def initial_state(self) -> dict:
        """The chapter's text, layer, head and view."""
        d = self.data
        here = (d.text or "", d.text_pair)
        example = next((k for k, v in self.examples.items() if v == here), None)
        return {"example": example, "text": here[0], "text_pair": here[1],
                "layer": self.layer, "head": self.head, "view": self.view}

    def _forward(self, text: str, pair: str | None) -> tuple:
        """AttentionData, warnings and thumbnails of (text, pair), kept for the next call
        (a layer or head change only slices)."""
        if self._last is not None and self._last[0] == (text, pair):
            return self._last[1:]
        if self.model is None:
            if (text, pair) != (self.data.text or "", self.data.text_pair):
                raise ValueError("built from precomputed attention: pass model= and "
                                 "tokenizer= to run your own text")
            data, warnings = self.data, []
        else:
            limit = self.max_tokens
            with quiet():  # transformers' "longer than the maximum" line: the warning says it
                n_full = len(self.tokenizer(text, pair)["input_ids"]) if text.strip() else 0
                warnings = []
                if limit is not None and n_full > limit:
                    warnings.append(cut_warning(n_full, limit, pair is not None))
                cut = limit if warnings else None
                data = compute_attention(self.model, self.tokenizer, text, pair, cut,
                                         num_threads=self.num_threads)
        thumbs = thumbnails(data, _positions(data, self.show_pad))
        self._last = ((text, pair), data, warnings, thumbs)
        return data, warnings, thumbs

    def compute(self, state: dict) -> dict:
        """The data the view draws for ``state``: the readable pieces (``tokens``; the
        vocabulary's in ``pieces``), the selected (layer, head) map (``weights``, row =
        from: n lists of n floats, or past ``PACK_PAST`` tokens :func:`packed` in 1e-4
        units), every head's thumbnail (``thumbs``: [layer][head, then the mean] -> t * t
        floats, ``thumb_size`` t) and the warnings."""
        text, pair = state.get("text"), state.get("text_pair") or None
        if not isinstance(text, str) or (pair is not None and not isinstance(pair, str)):
            raise ValueError("text (and text_pair) must be strings")
        layer, head = check_selection(state, self.data.num_layers, self.data.num_heads)
        with torch_threads(self.num_threads):
            data, warnings, (t, thumbs) = self._forward(text, pair)
            keep = _positions(data, self.show_pad)
            idx = torch.as_tensor(keep)
            m = data.map(layer, head)[idx][:, idx]  # (n, n)
            weights = packed(_quantized(m)) if len(keep) > PACK_PAST else rounded(m)
        tokens = [data.tokens[i] for i in keep]
        special = [data.is_special[i] for i in keep]
        return {"tokens": readable_tokens(tokens, special, self.piece_kind), "pieces": tokens,
                "special": special, "positions": keep, "layer": layer, "head": head,
                "weights": weights, "thumbs": thumbs, "thumb_size": t,
                "warnings": list(warnings)}
