"""Business logic: plain functions that take and return models and own the transaction."""
