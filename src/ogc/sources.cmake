# ogc: sources added by the issue that builds this stage.
target_sources(sahelmap_engine PRIVATE)
