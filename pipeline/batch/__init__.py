"""Batch conversion at archive scale (``akn-pipeline convert``): which files (``discover``), where
chunks run (``engines``: in process, a pool of worker processes, or Dask), what a worker does with a
chunk (``worker``), what the output directory remembers between runs (``manifest``), and the run
itself with its report, catalogue and exit status (``run``)."""
