"""Board's pages, a module per topic: the board and official pages
(``board``), one message's page (``message_page``), writing and editing
(``compose``), the author's list (``my_messages``), the officials' inbox and
working page (``handling``), and notifications. Each view validates a form,
calls one action or selector, and renders."""
