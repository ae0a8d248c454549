"""Demo data of the assurance apps, loaded after the rest of the demo district: the provincial
item library (``indicators``), this year's training (``training``), then the body appraisal, an
执法评议 campaign and consultations (``supervision``) — training first, since the appraisal reads
the hours. Each loader is idempotent."""

from __future__ import annotations


def load() -> dict:
    from zhifa.indicators.demo import load as load_library
    from zhifa.supervision.demo import load_assurance
    from zhifa.training.demo import load as load_training

    return {"library": load_library(), "training": load_training(), "supervision": load_assurance()}
