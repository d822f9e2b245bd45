"""ccmetrics: call-center analytics, pure pandas in and out (never imports streamlit)."""

__all__ = ["__version__"]
__version__ = "0.1.0"
