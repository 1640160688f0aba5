"""TestID: the development identity provider that stands in for ID-porten (dev and test settings only)."""
