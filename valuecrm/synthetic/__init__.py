"""Synthetic customer databases with known truth, for tests, demos and benchmarks.

``generate(n_customers, out=..., db=...)`` writes every canonical table drawn from stated
models (BG/NBD purchasing, Gamma-Gamma spend, planted lifecycle stages, costly customers,
complaint recovery, campaigns with control groups) and the truth beside it.
"""

from valuecrm.synthetic.config import GeneratorConfig
from valuecrm.synthetic.generator import GenerationResult, generate

__all__ = ["GenerationResult", "GeneratorConfig", "generate"]
