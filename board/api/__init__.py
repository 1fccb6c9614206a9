"""The JSON API, version 1 (``/api/v1/``), one module per topic.

Views are thin: a serializer checks the input, one action or selector does
the work. Domain errors (``BoardError``) become 4xx responses naming the
field at fault, through ``common.exception_handler``. ``urls`` routes them.
"""
