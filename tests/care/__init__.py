"""The care process: its steps, need-to-know and audit, concurrency, admin integration, demo and language."""
