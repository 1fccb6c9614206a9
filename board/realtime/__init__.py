"""Realtime: events pushed to WebSocket clients after commit, the consumers
that relay them, the bounded Redis channel layer, socket routing and the
single-use ticket that authenticates a socket opened from an API client."""
