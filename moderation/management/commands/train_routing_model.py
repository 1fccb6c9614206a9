"""Train the routing suggestions' model on the moderators' routing now
(``board/routing_model.py``).

``python manage.py train_routing_model [--no-evaluate]`` prints the
decisions learned from, the labels, the time taken and the accuracy on a
held-out tenth. The periodic checks retrain on their own once enough new
decisions exist; this command is for the first model and for a look at how
well it does.
"""

from django.core.management.base import BaseCommand, CommandError

from board.routing_model import MIN_ROWS_PER_LABEL, routing_model_train


class Command(BaseCommand):
    help = "Train the routing suggestions' model on the moderators' routing."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-evaluate",
            action="store_true",
            help="Skip measuring accuracy on a held-out tenth (half the time).",
        )

    def handle(self, *args, no_evaluate=False, **options):
        result = routing_model_train(evaluate=not no_evaluate)
        if result is None:
            raise CommandError(
                "Too few routing decisions to learn from: at least "
                f"{MIN_ROWS_PER_LABEL} per category or department are needed. "
                "Suggestions come from the keywords alone."
            )
        write = self.stdout.write
        write(f"Saved {result.path}")
        write(
            f"{result.rows:,} routed messages (newest id {result.newest_message_id}), "
            f"{result.category_labels} categories, "
            f"{result.department_labels} departments, {result.seconds:.1f} s"
        )
        for target, accuracy in [
            ("category", result.category_accuracy),
            ("department", result.department_accuracy),
        ]:
            if accuracy is not None:
                write(f"held-out accuracy ({target}): {accuracy:.1%}")
            elif not no_evaluate:
                write(f"{target}: too few decisions for a model, keywords only")
