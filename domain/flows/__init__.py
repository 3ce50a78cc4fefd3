"""Flow automation: the editor's graph, its validation, the pure engine and flow routing."""
