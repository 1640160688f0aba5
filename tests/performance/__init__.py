"""Query-count invariance: pages cost a fixed number of queries, whatever the amount of data behind them."""
