"""Static word embeddings that ship inside a package: wordllama's `l2_supercat_256` weights.

Why wordllama: its wheel carries the weights (`wordllama/weights/l2_supercat_256.safetensors`,
32,000 tokens x 256 dims, 16 MB) and the tokenizer config, so it runs offline on CPU with no
download; model2vec ships no model. `WordLlama.load()` itself looks for the tokenizer under a
folder name the wheel does not use (`tokenizer/` vs the shipped `tokenizers/`) and then tries
the network, so the two shipped files are opened directly here.

Speed: `WordLlamaInference.embed` tokenises every text with padding (4.4 s for 2,000 articles);
here each distinct word of the batch is tokenised once and an article is the sum of its words'
vectors (count matrix x word vectors), 0.6 s for the same 2,000 (measured in bench_align.py).
Stop words are left out, which is the usual weighting trick for averaged word vectors.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np

WEIGHTS = "weights/l2_supercat_256.safetensors"
TOKENIZER = "tokenizers/l2_supercat_tokenizer_config.json"


class EmbeddingsUnavailable(RuntimeError):
    """The package or its shipped files are missing: grouping goes on without embeddings."""


@lru_cache(maxsize=1)
def _model() -> tuple[np.ndarray, object]:
    try:
        import wordllama
        from safetensors import safe_open
        from tokenizers import Tokenizer
    except ImportError as e:          # pragma: no cover - installed with audit
        raise EmbeddingsUnavailable(f"wordllama is not installed: {e}") from e
    root = Path(wordllama.__file__).parent
    weights, tok = root / WEIGHTS, root / TOKENIZER
    for p in (weights, tok):
        if not p.is_file():
            raise EmbeddingsUnavailable(f"wordllama ships no {p.relative_to(root)}")
    with safe_open(str(weights), framework="np", device="cpu") as f:
        table = np.asarray(f.get_tensor("embedding.weight"), dtype=np.float32)
    return table, Tokenizer.from_file(str(tok))


def word_vectors(words: list[str]) -> np.ndarray:
    """One row per word: the sum of its tokens' vectors (a word as it appears after a space)."""
    table, tok = _model()
    out = np.zeros((len(words), table.shape[1]), np.float32)
    if not words:
        return out
    for i, enc in enumerate(tok.encode_batch([" " + w for w in words], add_special_tokens=False)):
        ids = [t for t in enc.ids if 0 <= t < table.shape[0]]
        if ids:
            out[i] = table[ids].sum(axis=0)
    return out


def doc_embeddings(counts, words: list[str]) -> np.ndarray:
    """Unit-length article vectors from a (documents x words) count matrix over `words`."""
    emb = np.asarray(counts @ word_vectors(words), dtype=np.float32)
    norm = np.linalg.norm(emb, axis=1, keepdims=True)
    return emb / np.where(norm > 0, norm, 1.0)
