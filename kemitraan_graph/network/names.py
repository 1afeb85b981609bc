"""The names of views, measures and export formats (plain constants: no networkx import)."""

#: the network views
VIEWS = ("stakeholders", "actors", "concepts", "ontology", "query")
#: node measures (centralities) the views and pages can size nodes by
MEASURES = ("degree", "betweenness", "eigenvector")
#: formats a view can be exported in
EXPORT_FORMATS = ("graphml", "gexf", "json")
