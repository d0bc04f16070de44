"""A Rasa server as the backend: POST /model/parse, then our entity rules on top."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid
from datetime import datetime

from nlu.clock import reference_time
from nlu.entities import ENTITY_TYPES, extract_entities
from nlu.entity_only import entity_only_intent, with_top


class NluBackendError(RuntimeError):
    """The NLU server could not be reached or answered something unusable."""


class RasaHttpParser:
    """Parses through a Rasa 3 server's HTTP API.

    Rasa's DIET would return 上个月 or 3号楼2单元501 as raw text, so for the taxonomy's entity
    types (unit, phone, bill_item, period, ticket_id, rating) Rasa's entities are dropped and
    ours are used instead: values are then normalised, and periods resolved against `now`,
    exactly as the embedded backend does. Entities of any other type from Rasa are kept.
    Intent and ranking are Rasa's, except for a message that is nothing but a home, phone,
    ticket code or rating (`nlu.entity_only`, as in the embedded backend). Failures raise
    `NluBackendError`; there is no silent fallback.
    """

    def __init__(self, rasa_url: str, timeout: float = 3.0) -> None:
        if not rasa_url:
            raise ValueError("backend 'rasa' needs rasa_url, e.g. http://localhost:5005")
        self.url = rasa_url.rstrip("/") + "/model/parse"
        self.timeout = timeout

    def _post(self, text: str) -> dict[str, object]:
        """The server's JSON answer for one text."""
        body = json.dumps({"text": text, "message_id": uuid.uuid4().hex}).encode()
        request = urllib.request.Request(
            self.url, data=body, method="POST",
            headers={"Content-Type": "application/json", "Accept": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                answer = json.loads(response.read().decode("utf-8"))
        except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
            raise NluBackendError(f"Rasa at {self.url}: {exc}") from exc
        if not isinstance(answer, dict):
            raise NluBackendError(f"Rasa at {self.url}: answer is not an object")
        return answer

    def parse(self, text: str, now: datetime | None = None) -> dict[str, object]:
        """Rasa's parse with our normalised entities merged in."""
        answer = self._post(text)
        intent = answer.get("intent") or {}
        if not isinstance(intent, dict) or not intent.get("name"):
            intent = {"name": "out_of_scope", "confidence": 0.0}
        ranking = answer.get("intent_ranking") or [intent]
        theirs = [e for e in answer.get("entities") or []
                  if isinstance(e, dict) and e.get("entity") not in ENTITY_TYPES]
        ours = extract_entities(text, reference_time(now))
        entities = sorted(theirs + ours, key=lambda e: (e.get("start", 0), e.get("end", 0)))
        top = {"name": str(intent["name"]), "confidence": float(intent.get("confidence") or 0.0)}
        ranked = [{"name": str(r["name"]), "confidence": float(r.get("confidence") or 0.0)}
                  for r in ranking if isinstance(r, dict) and r.get("name")]
        decided = entity_only_intent(text, ours)
        if decided is not None:  # the same rule as the embedded backend, for the same reason
            ranked = with_top(ranked, *decided)
            top = dict(ranked[0])
        return {"text": text, "intent": top, "intent_ranking": ranked[:10], "entities": entities}
