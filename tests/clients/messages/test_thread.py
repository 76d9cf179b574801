"""One thread per client: the client, their coach and the head coach read and write it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client as HttpClient
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from clients.audit.models import AuditEntry
from clients.messages.models import Message
from clients.messages.selectors import THREAD_PAGE_SIZE, unread_count
from clients.messages.services import send_message
from clients.models import Client
from coaching.models import User
from tests.factories import make_client, make_coach, make_many_clients

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}
ME = "/me/messages/"


def coach_url(client: Client) -> str:
    return f"/coach/clients/{client.pk}/messages/"


@pytest.fixture
def head_coach(db: None) -> User:
    return make_coach("head@example.com", first_name="Hana", head=True)


def web_as(user: User) -> HttpClient:
    web = HttpClient()
    web.force_login(user)
    return web


def test_a_client_sends_a_message_with_htmx_and_sees_it_in_the_thread(client_a: Client) -> None:
    """The thread comes back with the message and "Message sent" for the status region."""
    response = web_as(client_a.user).post(
        ME, {"text": "Is a stiff back in the morning normal?"}, headers=HTMX
    )
    assert response.status_code == 200
    assert response.template_name == "clients/messages/thread.html#thread"
    body = response.content.decode()
    assert "Is a stiff back in the morning normal?" in body
    assert 'hx-swap-oob="innerHTML:#messages"' in body and "Message sent" in body
    message = Message.objects.get()
    assert (message.client, message.author) == (client_a, client_a.user)


def test_without_javascript_sending_redirects_back_to_the_thread(client_a: Client) -> None:
    web = web_as(client_a.user)
    response = web.post(ME, {"text": "Thanks for the new plan"})
    assert response.status_code == 302 and response["Location"] == ME
    page = web.get(ME).content.decode()
    assert "Thanks for the new plan" in page and "Message sent" in page


@pytest.mark.parametrize(
    ("text", "error"),
    [("", "Write your message"), ("   ", "Write your message"), ("x" * 2001, "2,000 characters")],
)
def test_an_empty_or_over_long_message_is_explained_and_not_saved(
    client_a: Client, text: str, error: str
) -> None:
    web = web_as(client_a.user)
    page = web.post(ME, {"text": text}).content.decode()
    assert "<title>Error: Messages" in page and "There is a problem" in page
    assert error in page and 'href="#id_text"' in page
    fragment = web.post(ME, {"text": text}, headers=HTMX).content.decode()
    assert "<title>Error: Messages" in fragment and error in fragment
    assert not Message.objects.exists()


def test_a_client_writes_only_after_consenting_checked_on_the_server(coach_a: User) -> None:
    """The page offers the consent instead of the form, and a crafted POST stores nothing."""
    waiting = make_client("new@example.com", coach=coach_a, consented=False)
    web = web_as(waiting.user)
    page = web.get(ME).content.decode()
    assert "I agree" in page and 'name="text"' not in page
    refused = web.post(ME, {"text": "My back hurts after sitting"}, headers=HTMX)
    assert "agree to how we keep your health information" in refused.content.decode()
    assert not Message.objects.exists()


def test_the_coach_reads_and_replies_and_the_client_sees_the_reply(
    client_a: Client, coach_a: User
) -> None:
    send_message(client=client_a, author=client_a.user, text="Can I train twice today?")
    coach = web_as(coach_a)
    page = coach.get(coach_url(client_a)).content.decode()
    assert "Can I train twice today?" in page and ">New<" in page
    response = coach.post(coach_url(client_a), {"text": "Once is plenty for now."}, headers=HTMX)
    assert response.template_name == "coaching/coach/messages/thread.html#thread"
    assert "Once is plenty for now." in response.content.decode()
    reply = web_as(client_a.user).get(ME).content.decode()
    assert "Once is plenty for now." in reply and "(coach)" in reply


def test_another_coach_cannot_read_or_write_the_thread(client_a: Client, coach_b: User) -> None:
    send_message(client=client_a, author=client_a.user, text="Private to my coach")
    web = web_as(coach_b)
    assert web.get(coach_url(client_a)).status_code == 404
    assert web.post(coach_url(client_a), {"text": "Hello"}).status_code == 404
    assert Message.objects.count() == 1


def test_the_head_coach_reads_and_writes_any_thread(client_a: Client, head_coach: User) -> None:
    web = web_as(head_coach)
    assert web.get(coach_url(client_a)).status_code == 200
    web.post(coach_url(client_a), {"text": "Covering for Alex this week."})
    assert Message.objects.get().author == head_coach


def test_clients_cannot_open_a_coach_thread_page(client_a: Client, client_b: Client) -> None:
    assert web_as(client_a.user).get(coach_url(client_a)).status_code == 403
    assert web_as(client_a.user).get(coach_url(client_b)).status_code == 403


def test_a_coachs_view_of_the_thread_and_each_message_are_on_the_audit_trail(
    client_a: Client, coach_a: User
) -> None:
    """The view names the coach and the client; the message's creation names the client."""
    web_as(client_a.user).post(ME, {"text": "Hip feels tight"})
    web_as(coach_a).get(coach_url(client_a))
    viewed = AuditEntry.objects.get(additional_data__what="view messages")
    assert viewed.actor == coach_a and viewed.additional_data["client_id"] == client_a.pk
    created = AuditEntry.objects.get(content_type__model="message")
    assert created.actor == client_a.user
    assert created.additional_data == {"client_id": client_a.pk}
    assert "Hip feels tight" not in created.object_repr


def test_unread_counts_are_each_readers_own(
    client_a: Client, coach_a: User, head_coach: User
) -> None:
    """The client's own message is unread for both coaches until each opens the thread; a
    reply is unread for the client, never for the coach who wrote it."""
    send_message(client=client_a, author=client_a.user, text="Quick question")
    assert unread_count(client=client_a, reader=client_a.user) == 0
    assert unread_count(client=client_a, reader=coach_a) == 1
    assert unread_count(client=client_a, reader=head_coach) == 1
    web_as(coach_a).get(coach_url(client_a))
    assert unread_count(client=client_a, reader=coach_a) == 0
    assert unread_count(client=client_a, reader=head_coach) == 1
    send_message(client=client_a, author=coach_a, text="Answer")
    assert unread_count(client=client_a, reader=coach_a) == 0
    assert unread_count(client=client_a, reader=client_a.user) == 1
    assert unread_count(client=client_a, reader=head_coach) == 2


def test_me_shows_new_messages_until_the_client_opens_the_thread(
    client_a: Client, coach_a: User
) -> None:
    web = web_as(client_a.user)
    assert "new message" not in web.get("/me/").content.decode()
    send_message(client=client_a, author=coach_a, text="How did the bridges go?")
    send_message(client=client_a, author=coach_a, text="And the stretches?")
    assert "2 new messages from your coach" in web.get("/me/").content.decode()
    assert ">New<" in web.get(ME).content.decode()
    assert "new message" not in web.get("/me/").content.decode()
    assert ">New<" not in web.get(ME).content.decode()


def test_the_dashboard_shows_each_coachs_unread_count(
    client_a: Client, coach_a: User, head_coach: User
) -> None:
    send_message(client=client_a, author=client_a.user, text="One")
    send_message(client=client_a, author=client_a.user, text="Two")
    rows = web_as(coach_a).get("/coach/").context["rows"]
    assert [row.client.unread_messages for row in rows] == [2]
    body = web_as(coach_a).get("/coach/").content.decode()
    assert 'class="fw-semibold">2 unread</a>' in body
    assert f'<span id="thread-of-{client_a.pk}" hidden>Messages with Ava Example</span>' in body
    web_as(head_coach).get(coach_url(client_a))
    assert web_as(coach_a).get("/coach/").context["rows"][0].client.unread_messages == 2
    assert web_as(head_coach).get("/coach/").context["rows"][0].client.unread_messages == 0


def test_unread_counts_cost_the_dashboard_no_query(
    coach_a: User, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    """Thirty clients with threads, some read, some not: still the dashboard's 6 queries."""
    make_many_clients(coach_a, 30, 3)
    Message.objects.bulk_create(
        Message(client=client, author=client.user, text=f"Message {n}")
        for i, client in enumerate(Client.objects.select_related("user"))
        for n in range(i % 4)
    )
    web = web_as(coach_a)
    web.get(coach_url(Client.objects.first()))  # type: ignore[arg-type]
    for query in ["", "?sort=activity", "?page=2"]:
        with django_assert_num_queries(6):
            response = web.get(f"/coach/{query}")
        assert response.status_code == 200
    counts = [row.client.unread_messages for row in web.get("/coach/").context["rows"]]
    assert sum(counts) > 0


def test_me_counts_unread_messages_within_its_budget(
    client_a: Client, coach_a: User, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    """/me/ with a long, partly read thread: 8 queries, the budget."""
    web = web_as(client_a.user)
    for n in range(30):
        send_message(client=client_a, author=coach_a if n % 2 else client_a.user, text=f"n{n}")
    web.get(ME)
    send_message(client=client_a, author=coach_a, text="Latest")
    with django_assert_num_queries(8):
        body = web.get("/me/").content.decode()
    assert "1 new message from your coach" in body


@pytest.mark.parametrize(("who", "expected"), [("client", 4), ("coach", 6)])
def test_the_thread_page_makes_the_same_queries_for_a_short_or_long_thread(
    client_a: Client,
    coach_a: User,
    django_assert_num_queries: DjangoAssertNumQueries,
    who: str,
    expected: int,
) -> None:
    """The session, the user, the page of messages and the read marker's one upsert (and,
    for a coach, the client lookup and the audit entry): the same for 1 message or 81."""
    reader = client_a.user if who == "client" else coach_a
    writer = coach_a if who == "client" else client_a.user
    url = ME if who == "client" else coach_url(client_a)
    web = web_as(reader)
    web.get(url)
    for count in (1, 80):
        Message.objects.bulk_create(
            Message(client=client_a, author=writer, text=f"m{n}") for n in range(count)
        )
        with django_assert_num_queries(expected):
            assert web.get(url).status_code == 200
        assert unread_count(client=client_a, reader=reader) == 0


@pytest.mark.parametrize(("who", "expected"), [("client", 9), ("coach", 10), ("head", 11)])
def test_sending_with_htmx_makes_a_fixed_number_of_queries(
    client_a: Client,
    coach_a: User,
    head_coach: User,
    django_assert_num_queries: DjangoAssertNumQueries,
    who: str,
    expected: int,
) -> None:
    """The write (message, audit entry, recipients' markers, the hour's claim per recipient)
    in one transaction, then the thread: within the log-session POST's budget of 12."""
    writer = {"client": client_a.user, "coach": coach_a, "head": head_coach}[who]
    url = ME if who == "client" else coach_url(client_a)
    web = web_as(writer)
    web.get(url)
    for n in range(2):
        with django_assert_num_queries(expected):
            response = web.post(url, {"text": f"Hello {n}"}, headers=HTMX)
        assert response.status_code == 200 and f"Hello {n}" in response.content.decode()


def test_a_long_thread_shows_the_latest_50_and_links_to_earlier_ones(
    client_a: Client, coach_a: User
) -> None:
    start = timezone.now() - timedelta(days=2)
    Message.objects.bulk_create(
        Message(
            client=client_a,
            author=coach_a,
            text=f"Note {n:02}",
            sent_at=start + timedelta(minutes=n),
        )
        for n in range(60)
    )
    web = web_as(client_a.user)
    latest = web.get(ME)
    shown = latest.context["thread"].messages
    assert len(shown) == THREAD_PAGE_SIZE
    assert [m.text for m in shown][:1] == ["Note 10"] and shown[-1].text == "Note 59"
    earlier = latest.context["thread"].earlier
    body = latest.content.decode()
    assert f'href="{ME}?before={earlier}"' in body
    older = web.get(f"{ME}?before={earlier}").context["thread"]
    assert [m.text for m in older.messages] == [f"Note {n:02}" for n in range(10)]
    assert older.earlier is None and not older.latest


def test_messages_are_kept_never_edited(client_a: Client) -> None:
    message = send_message(client=client_a, author=client_a.user, text="Kept")
    with pytest.raises(TypeError):
        Message.objects.filter(pk=message.pk).update(text="Changed")
    with pytest.raises(TypeError):
        Message.objects.filter(pk=message.pk).delete()
