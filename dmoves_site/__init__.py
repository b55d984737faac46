"""dmoves-site: a static transparency dashboard for a city's digitalisation strategy."""

__version__ = "0.1.0"
