"""The evidence store: DuckDB catalog plus Parquet parts (pure library, no Django)."""

from csphub.store.store import Store, StoreBusy, StoreError, open_store, resolve_store_path

__all__ = ["Store", "StoreBusy", "StoreError", "open_store", "resolve_store_path"]
