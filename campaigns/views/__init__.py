"""Thin views of the campaigns app: parse → call a service or selector → render."""
