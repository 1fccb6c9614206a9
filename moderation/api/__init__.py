"""The moderation API (``/api/v1/moderation/``) and public reports, one
module per topic: the queue, one item's actions, bulk decisions, replies,
and the public's reports. ``urls`` routes them.

Moderators only: citizens and officials get 403, anonymous callers 401. Each
endpoint checks its input with a serializer, calls one action from
``moderation.actions`` and answers with the item as moderators see it.
Domain errors become 4xx through ``board.api.common.exception_handler``: a
claim held by someone else or a stale ``seen_updated_at`` is 409
(ClaimConflict), an illegal move 409, bad input 400 naming the field.
"""
