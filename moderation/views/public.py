"""The public moderation transparency page."""

from django.shortcuts import render

from ..selectors import (
    moderation_transparency,
    reason_titles,
    review_deadline,
)
from .common import (
    format_duration,
)


def transparency(request):
    """Per month: received, published, rejected and hidden by reason."""
    titles = reason_titles()

    def by_reason(counts: dict) -> list[tuple[str, int]]:
        return sorted(
            ((titles.get(code, code), count) for code, count in counts.items()),
            key=lambda item: -item[1],
        )

    months = [
        {
            "month": row["month"],
            "received": row["received"],
            "published": row["published"],
            "rejected": by_reason(row["rejected"]),
            "rejected_total": sum(row["rejected"].values()),
            "hidden": by_reason(row["hidden"]),
            "hidden_total": sum(row["hidden"].values()),
            "median_review": format_duration(row["median_review"])
            if row["median_review"] is not None
            else None,
        }
        for row in moderation_transparency()
    ]
    return render(
        request,
        "moderation/transparency.html",
        {"months": months, "deadline": format_duration(review_deadline())},
    )
