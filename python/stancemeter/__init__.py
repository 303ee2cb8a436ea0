"""stancemeter for Python: the Rust scoring core over Arrow batches.

>>> from stancemeter import Scorer
>>> s = Scorer()                       # the default target: Xiaomi's US entry
>>> s.score(["Can't wait to buy one here!"])[0]["stance"]
'favor'

``Scorer.score_arrow(batch)`` scores a pyarrow.RecordBatch without a copy per row and with the GIL
released; ``Partial`` aggregates scored batches per partition, merges in any order, and finishes into
the summary, stance_summary, by_author and by_date tables of ``stancemeter run``.
"""

from ._native import Partial, Scorer, __version__, column_defaults

__all__ = ["Partial", "Scorer", "__version__", "column_defaults"]
