"""Everything that touches storage: settings, engine, schema and views, demo data, ingest."""
