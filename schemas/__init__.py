"""Schemas shipped with akn-pipeline (installed as the ``pipeline.schemas`` package)."""
