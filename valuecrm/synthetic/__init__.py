"""Synthetic customer databases with known truth, for tests, demos and benchmarks.

``generate(n_customers, out=..., db=...)`` writes every canonical table drawn from stated
models (BG/NBD purchasing, Gamma-Gamma spend, planted lifecycle stages, costly customers,
complaint recovery, campaigns with control groups) and the truth beside it.

May import: ``store`` (the tables it writes), ``errors`` and ``_progress``; nothing else
(``tests/test_import_graph.py`` checks it).
"""

from valuecrm.synthetic.config import GeneratorConfig
from valuecrm.synthetic.generator import GenerationResult, generate

__all__ = ["GenerationResult", "GeneratorConfig", "generate"]
