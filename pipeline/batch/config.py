"""What every worker of a run is told: where the outputs go and how each document is handled."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Config:
    outdir: str
    timeout: float = 60.0
    print_level: str = "warning"  # which diagnostics to render for printing: error, warning, info
    run_id: str = ""
    version: str = ""
    manifest: bool = True
    catalog: bool = True
