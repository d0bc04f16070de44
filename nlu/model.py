"""The intent classifier: logistic regression trained with scikit-learn, scored with numpy."""

from __future__ import annotations

import json
import math
import os
import tempfile
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from nlu.features import DEFAULT_CONFIG, FeatureConfig, featurize
from nlu.pinyin import has_cjk, transliterate
from nlu.training_data import Example

# Inverse regularisation and the weight of a pinyin copy relative to its Chinese original,
# measured on the old held-out set and the two development sets (C 15/30/60 × weight
# 0.5/1: 60 with 0.5 was best or tied on each, within one or two lines of the others).
C = 60.0
PINYIN_COPY_WEIGHT = 0.5


@dataclass(frozen=True)
class IntentModel:
    """Weights of a trained linear classifier, exported to plain arrays."""

    labels: tuple[str, ...]
    vocab: dict[str, int]
    weights: np.ndarray  # (n_features, n_labels), float64
    bias: np.ndarray  # (n_labels,)
    meta: dict[str, object]

    @cached_property
    def config(self) -> FeatureConfig:
        """The feature families this model was trained with."""
        return FeatureConfig.from_key(str(self.meta.get("features", "")))

    def probabilities(self, text: str) -> np.ndarray | None:
        """Softmax over labels, or None when no feature of the text was seen in training."""
        idx = [i for f in featurize(text, self.config) if (i := self.vocab.get(f)) is not None]
        if not idx:
            return None
        # Rows were trained on L2-normalised binary vectors, so scale the sum the same way.
        scores = self.weights[idx].sum(axis=0) / math.sqrt(len(idx)) + self.bias
        scores -= scores.max()
        exp = np.exp(scores)
        return exp / exp.sum()


def _matrix(rows: list[list[int]], n_features: int) -> object:
    """CSR matrix of L2-normalised binary rows."""
    from scipy.sparse import csr_matrix

    indptr, indices, data = [0], [], []
    for row in rows:
        indices.extend(row)
        data.extend([1.0 / math.sqrt(len(row))] * len(row) if row else [])
        indptr.append(len(indices))
    return csr_matrix((data, indices, indptr), shape=(len(rows), n_features))


def training_texts(examples: list[Example], config: FeatureConfig) -> list[tuple[str, str]]:
    """(text, intent) pairs to fit: the examples, plus a pinyin copy of each Chinese one."""
    pairs = [(e.text, e.intent) for e in examples]
    if config.pinyin:
        seen = {t for t, _ in pairs}
        for e in examples:
            if has_cjk(e.text) and (copy := transliterate(e.text)) not in seen:
                seen.add(copy)
                pairs.append((copy, e.intent))
    return pairs


def train(examples: list[Example], meta: dict[str, object],
          config: FeatureConfig = DEFAULT_CONFIG) -> IntentModel:
    """Fit the classifier on the examples (deterministic: seeded SAGA, fixed order)."""
    from sklearn.linear_model import LogisticRegression

    pairs = training_texts(examples, config)
    feats = [featurize(text, config) for text, _ in pairs]
    vocab_list = sorted({f for fs in feats for f in fs})
    vocab = {f: i for i, f in enumerate(vocab_list)}
    labels = tuple(sorted({intent for _, intent in pairs}))
    label_index = {name: i for i, name in enumerate(labels)}
    x = _matrix([[vocab[f] for f in fs] for fs in feats], len(vocab))
    y = np.array([label_index[intent] for _, intent in pairs])
    # SAGA: ~1 s here where lbfgs takes ~40 s on the same sparse matrix; seeded, so repeatable.
    clf = LogisticRegression(C=C, solver="saga", max_iter=300, tol=1e-3, random_state=0)
    n_original = len(examples)
    weights_per_row = np.array([1.0] * n_original + [PINYIN_COPY_WEIGHT] * (len(pairs) - n_original))
    clf.fit(x, y, sample_weight=weights_per_row)
    # Weights are stored as float32; round them here too so a freshly trained model and the
    # same model loaded from the cache give bit-identical parses.
    weights = np.ascontiguousarray(clf.coef_.T, dtype=np.float32).astype(np.float64)
    bias = clf.intercept_.astype(np.float32).astype(np.float64)
    return IntentModel(labels, vocab, weights, bias, {**meta, "features": config.key()})


def save(model: IntentModel, path: Path) -> None:
    """Write the model atomically as a plain .npz (no pickle: the cache dir is not trusted)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    vocab_list = sorted(model.vocab, key=model.vocab.__getitem__)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".npz")
    try:
        with os.fdopen(fd, "wb") as fh:
            np.savez_compressed(
                fh, weights=model.weights.astype(np.float32), bias=model.bias.astype(np.float32),
                labels=np.array(model.labels),
                vocab=np.array(vocab_list), meta=np.array(json.dumps(model.meta)),
            )
        os.replace(tmp, path)  # readers see either no file or a whole one
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def load(path: Path) -> IntentModel:
    """Read a model written by `save`."""
    with np.load(path, allow_pickle=False) as z:
        vocab_list = z["vocab"].tolist()
        return IntentModel(
            labels=tuple(z["labels"].tolist()),
            vocab={f: i for i, f in enumerate(vocab_list)},
            weights=z["weights"].astype(np.float64),
            bias=z["bias"].astype(np.float64),
            meta=json.loads(str(z["meta"])),
        )
