"""Home page: the documents and news sent to me that I have not opened yet."""

from dangbo.documents.access import received_by, with_read_flag

PANEL_ITEMS = 5


def home_panels(request):
    user = request.user
    if not user.is_authenticated:
        return []
    unread = with_read_flag(received_by(user), user).filter(is_read=False)
    items = list(unread.order_by("-issued_on", "-pk")[:PANEL_ITEMS])
    if not items:
        return []
    count = len(items) if len(items) < PANEL_ITEMS else unread.count()
    return [{"template": "documents/panel.html", "items": items, "count": count}]
