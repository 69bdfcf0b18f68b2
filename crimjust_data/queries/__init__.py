"""Read-side queries for the exploration pages: SQL in the store, small frames out.

Each function takes (store, filters, ...hashable options) so ui.query can cache it on the
store's state token and its arguments. Shared WHERE builders live in crimjust_data.metrics.
"""
