"""Deterministic demo extracts for the four source systems, with injected discrepancies.

``generate(out_dir, ground_truth_dir, ...)`` writes landing batches exactly per the extract
contract and, outside the landing zone, the ground truth every rule must report.
"""

from .generator import generate
from .summary import GenerationSummary

__all__ = ["generate", "GenerationSummary"]
