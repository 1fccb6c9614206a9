"""Open311 GeoReport v2: the civic-issue API existing clients speak."""
