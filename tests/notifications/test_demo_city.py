"""The demo city greets its members with notifications."""
from placette.models import Notification, User


def test_demo_members_have_unread_notifications(app):
    from placette.demo.city import seed
    seed("demo-password", log=lambda _m: None)
    martine = User.get(User.email == "membre@example.org")
    karima = User.get(User.email == "animatrice@example.org")
    unread = Notification.read_at.is_null()
    assert Notification.select().where((Notification.user == martine.id) & unread).count() >= 3
    assert Notification.select().where((Notification.user == karima.id) & unread).count() >= 3


def test_demo_notifications_page_lists_them(app, client, sign_in):
    from placette.demo.city import seed
    seed("demo-password", log=lambda _m: None)
    sign_in(User.get(User.email == "membre@example.org"))
    page = client.get("/notifications").get_data(as_text=True)
    assert "Votre demande d’adhésion a été acceptée" in page and "Les Tilleuls" in page
    assert "La présentation de l’espace a changé" in page
