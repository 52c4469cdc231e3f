"""The record model: kinds, fields and typed values; the one place that knows them."""
