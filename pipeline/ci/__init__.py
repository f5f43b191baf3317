"""Validation of files for CI (``akn-pipeline validate``): safe reading, the strict XSD, the AKN4UN
profile and the JSON Schema (``checks``), and reports for people and machines (``reports``)."""
