"""Learned weights over detector features (trained on the real development fold; see
scripts/train_translation_weights.py). Models ship as JSON coefficients, never pickles."""
