"""改革指标: the reform's indicators defined once as code (docs/indicators.md)."""
