"""The demo data of ``manage.py seed_demo``: a fictional province, demo
logins, realistic messages and every state of the workflow, moderation's
included.

``places`` (regions, departments, officials) and ``accounts`` come first;
``workflow`` then walks messages through each state with the real actions;
``bulk`` tops the board up with many messages at once, written from
``topics`` and ``text`` by ``compose`` and into the tables by ``rows``.
Everything is keyed on natural keys, so seeding again changes nothing but the
demo passwords.
"""
