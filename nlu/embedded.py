"""The default backend: the linear intent model plus the rule entity extractor, in process."""

from __future__ import annotations

import logging
import time
from datetime import datetime
from pathlib import Path

from nlu import model as model_io
from nlu.clock import reference_time
from nlu.entities import extract_entities
from nlu.entity_only import entity_only_intent, with_top
from nlu.features import DEFAULT_CONFIG, FEATURE_VERSION, FeatureConfig
from nlu.model import IntentModel
from nlu.normalize import looks_like_garbage
from nlu.training_data import DEFAULT_DATA_DIR, content_hash, load_examples

log = logging.getLogger(__name__)

DEFAULT_CACHE_DIR = Path(".cache/nlu")
FALLBACK_INTENT = "out_of_scope"
RANKING_SIZE = 10
_CACHE_PREFIX = "intent-"


def model_path(cache_dir: Path, data_dir: Path, config: FeatureConfig = DEFAULT_CONFIG) -> Path:
    """Cache file for the current data: named by its content hash, so edits retrain."""
    digest = content_hash(data_dir, salt=f"{FEATURE_VERSION}/{config.key()}/C={model_io.C}"
                                                f"/pw={model_io.PINYIN_COPY_WEIGHT}")
    return cache_dir / f"{_CACHE_PREFIX}{digest[:24]}.npz"


def load_or_train(data_dir: Path, cache_dir: Path, force: bool = False,
                  config: FeatureConfig = DEFAULT_CONFIG) -> IntentModel:
    """The cached model for this data, training (and caching) it first when needed."""
    path = model_path(cache_dir, data_dir, config)
    if path.exists() and not force:
        try:
            return model_io.load(path)
        except (OSError, ValueError, KeyError) as exc:  # a torn or foreign file: retrain
            log.warning("NLU cache %s unreadable (%s); retraining", path, exc)
    started = time.perf_counter()
    examples = load_examples(data_dir)
    trained = model_io.train(examples, {"hash": path.stem, "examples": len(examples)}, config)
    seconds = time.perf_counter() - started
    trained.meta["train_seconds"] = round(seconds, 3)
    model_io.save(trained, path)
    for stale in cache_dir.glob(f"{_CACHE_PREFIX}*.npz"):
        if stale != path:
            stale.unlink(missing_ok=True)
    log.info("NLU model trained on %d examples in %.2fs", len(examples), seconds)
    return trained


class EmbeddedParser:
    """Parses text in process; deterministic given (text, now)."""

    def __init__(self, model: IntentModel) -> None:
        self.model = model

    @classmethod
    def from_data(cls, data_dir: str | Path | None = None, cache_dir: str | Path | None = None,
                  force_train: bool = False,
                  config: FeatureConfig = DEFAULT_CONFIG) -> EmbeddedParser:
        """Load the cached model for `data_dir` or train it (with the feature `config`)."""
        data = Path(data_dir) if data_dir is not None else DEFAULT_DATA_DIR
        cache = Path(cache_dir) if cache_dir is not None else DEFAULT_CACHE_DIR
        return cls(load_or_train(data, cache, force=force_train, config=config))

    def classify(self, text: str) -> list[dict[str, object]]:
        """Intent ranking, best first; text with nothing to classify is out_of_scope."""
        labels = self.model.labels
        probs = None if looks_like_garbage(text) else self.model.probabilities(text)
        if probs is None:
            # Empty, emoji-only, binary debris or entirely unseen text: nothing to act on, and
            # we are sure of that, so out_of_scope at full confidence.
            others = [n for n in labels if n != FALLBACK_INTENT][: RANKING_SIZE - 1]
            return [{"name": FALLBACK_INTENT, "confidence": 1.0}] + [
                {"name": n, "confidence": 0.0} for n in others]
        order = sorted(range(len(labels)), key=lambda i: (-probs[i], labels[i]))
        return [{"name": labels[i], "confidence": float(probs[i])}
                for i in order[:RANKING_SIZE]]

    def parse(self, text: str, now: datetime | None = None) -> dict[str, object]:
        """Rasa `/model/parse`-shaped result for one text."""
        if not isinstance(text, str):
            text = bytes(text).decode("utf-8", "replace") if isinstance(
                text, bytes | bytearray) else str(text)
        ranking = self.classify(text)
        entities = extract_entities(text, reference_time(now))
        decided = entity_only_intent(text, entities)
        if decided is not None:  # a bare phone, home, ticket code or rating
            ranking = with_top(ranking, *decided)[:RANKING_SIZE]
        return {
            "text": text,
            "intent": dict(ranking[0]),
            "intent_ranking": ranking,
            "entities": entities,
        }
