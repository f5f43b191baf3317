"""akn-pipeline: UN documents in Chinese, as PDF-extracted text, to Akoma Ntoso (AKN4UN) XML and JSON."""

__version__ = "0.1.0"
