"""Open data: the public record as streamed CSV and JSON Lines, without
personal data."""
